import { z } from 'zod';
import type { CheckResult } from '@nasfleet/contracts';
import { describeTask, NB201_ANSWER_CONTRACT } from '@nasfleet/prompts';
import type { SearchSpace, SpaceDefinition } from '@nasfleet/steps';
import { cellDescriptors } from './cell-descriptors.ts';
import { extractCell, formatArchString } from './cell-space.ts';
import { CellParseError } from './errors.ts';
import { createNb201Evaluator, Nb201Signal } from './nb201-evaluator.ts';
import { Nb201Dataset } from './nb201-table.ts';
import type { Nb201Table } from './nb201-table.ts';
import { Nb201OperatorLevel } from './operator-level.ts';
import { createNb201RuleOperator } from './rule-operator.ts';

/** The initial network in the cell space: SPEC §1's "tiny" seed, a single 1x1 conv from input to output. */
export const NB201_INITIAL_CELL = formatArchString([0, 0, 0, 2, 0, 0]);

/** Options of the NB201 space: which dataset's column it looks up, and which signal the search sees. */
export const Nb201SpaceOptions = z.object({
  dataset: Nb201Dataset.default('cifar10'),
  /** Fitness column: 200-epoch validation (default) or the cheaper 12-epoch one. */
  signal: Nb201Signal.default('val200'),
  /** The rule-based operator's level: 'expert' (a stand-in for an LLM's prior) or 'neutral' (uniform edits of each intent's kind). */
  operator: Nb201OperatorLevel.default('expert'),
});
export type Nb201SpaceOptions = z.input<typeof Nb201SpaceOptions>;

const IMAGE: Record<Nb201Dataset, { name: string; inputShape: [number, number, number]; numClasses: number }> = {
  cifar10: { name: 'CIFAR-10', inputShape: [32, 32, 3], numClasses: 10 },
  cifar100: { name: 'CIFAR-100', inputShape: [32, 32, 3], numClasses: 100 },
  'imagenet16-120': { name: 'ImageNet16-120', inputShape: [16, 16, 3], numClasses: 120 },
};

/**
 * The NAS-Bench-201 cell space: the artifact is a cell's arch string; `check` finds the cell in an
 * answer (an LLM's prose or a rule operator's string), `evaluate` looks it up in the table (fitness =
 * the chosen validation column, in percent; test accuracy only in the metrics). A look-up is free, so
 * duplicates are looked up again rather than skipped, as in the papers' benchmarks.
 */
export function createNb201Space(table: Nb201Table, options: Nb201SpaceOptions = {}): SearchSpace {
  const { dataset, signal, operator } = Nb201SpaceOptions.parse(options);
  const evaluator = createNb201Evaluator({ table, dataset, signal });
  const rule = createNb201RuleOperator({ level: operator });
  const image = IMAGE[dataset];
  return {
    name: 'nb201',
    brief: {
      space: 'nb201', answerContract: NB201_ANSWER_CONTRACT, fitnessUnit: 'percent',
      task: describeTask({
        dataset: image.name, inputShape: image.inputShape, numClasses: image.numClasses,
        training: `Each cell is scored by NAS-Bench-201's recorded ${signal === 'val200' ? '200' : '12'}-epoch validation accuracy of the network built from it.`,
      }),
    },
    initialArtifact: NB201_INITIAL_CELL,
    descriptorBounds: evaluator.spec.bounds,
    ruleOperator: { apply: async (request) => rule.apply(request) },
    dedup: false,
    // An answer may quote the parent's arch string before its own, so no string is final until the answer ends.
    answerComplete: () => false,
    async check(answer): Promise<CheckResult> {
      try {
        const cell = extractCell(answer);
        const arch = formatArchString(cell);
        const index = table.indexOf(arch);
        return { ok: true, artifact: arch, architecture: null, canonicalHash: arch, descriptors: cellDescriptors(cell, table.value(index, dataset, 'flops')), metrics: {} };
      } catch (err) {
        if (!(err instanceof CellParseError || err instanceof RangeError)) throw err;
        return { ok: false, artifact: answer, failure: { class: 'invalid-artifact', message: err.message.slice(0, 4000) }, metrics: {} };
      }
    },
    async evaluate(checked) {
      const looked = evaluator.evaluate(checked.artifact);
      return { outcome: looked.outcome, metrics: looked.metrics ?? {} };
    },
  };
}

/** The NB201 space for a registry; `loadTable` is called once, on first use. */
export function nb201SpaceDefinition(loadTable: () => Nb201Table): SpaceDefinition<z.output<typeof Nb201SpaceOptions>> {
  let table: Nb201Table | null = null;
  return {
    name: 'nb201',
    description: 'NAS-Bench-201 cells, scored by table look-up (cifar10, cifar100, imagenet16-120)',
    options: Nb201SpaceOptions,
    create: async (options) => createNb201Space((table ??= loadTable()), options),
  };
}
