import { z } from 'zod';
import { Rng } from '@nasfleet/contracts';
import type { CandidateRequest, CheckResult, OperatorOutput, PromptChoice } from '@nasfleet/contracts';
import { completeCodeBlock } from '@nasfleet/llm';
// Only the package's public entry: this folder is what a space written outside the package looks like.
import type { Checked, Evaluation, SearchSpace, SpaceDefinition } from '../../index.ts';

/**
 * A toy search space for the steps' tests, with no TF.js, sandbox or table: an artifact is `x=<n>`
 * for an integer n in [0, max]; fitness is 100 − (n − target)², in percent; descriptors are n and
 * n mod 5; n = 13 does not train (a failed 'training-nan' outcome). `check` reads the last `x=<n>`
 * of an answer (spaces and leading zeros allowed, so "x = 07" and "x=7" are one architecture, hash
 * `toy:7`); no `x=` is an extraction failure, an n out of range an invalid artifact.
 * The rule operator moves n by a seeded step as large as the temperature says.
 */

export const ToySpaceOptions = z.strictObject({
  /** Largest n. */
  max: z.number().int().positive().default(20),
  /** The n with the best fitness. */
  target: z.number().int().nonnegative().default(7),
  /** Whether a seen architecture takes the earlier result. */
  dedup: z.boolean().default(true),
});
export type ToySpaceOptions = z.output<typeof ToySpaceOptions>;

/** The toy space with what tests read back: which candidates it evaluated, in order. */
export interface ToySpace extends SearchSpace {
  readonly evaluated: { candidateId: string; artifact: string }[];
  readonly options: ToySpaceOptions;
}

/** Prompts whose ids are in the real prompt set, so an LLM search can render them. */
export const TOY_PROMPTS: PromptChoice[] = [
  { id: 'add-layer', intent: 'add-layer' },
  { id: 'remove-layer', intent: 'remove-layer' },
  { id: 'improve', intent: 'improve' },
];
export const TOY_CROSSOVER: PromptChoice = { id: 'crossover', intent: 'crossover' };

export const TOY_ANSWER_CONTRACT = 'Answer with one ```text code block holding the new value as x=<n>, nothing after it.';

/** The n of the last `x=<n>` in a text, or null. */
export function toyValue(text: string): number | null {
  const found = [...text.matchAll(/x\s*=\s*(-?\d+)/g)].at(-1);
  return found ? Number(found[1]) : null;
}

export const toyFitness = (n: number, target: number): number => 100 - (n - target) ** 2;

export function createToySpace(input: z.input<typeof ToySpaceOptions> = {}): ToySpace {
  const options = ToySpaceOptions.parse(input);
  const { max, target } = options;
  const evaluated: ToySpace['evaluated'] = [];
  const clamp = (n: number) => Math.min(max, Math.max(0, n));
  const valueOf = (artifact: string | undefined) => clamp(toyValue(artifact ?? '') ?? 0);
  const operate = (request: CandidateRequest): OperatorOutput => {
    const rng = Rng.fromSeed(request.seed);
    switch (request.operator) {
      case 'seed':
        return { artifact: request.parents[0]?.artifact ?? 'x=0' };
      case 'sample':
        return { artifact: `x=${rng.int(0, max)}` };
      case 'crossover':
        return { artifact: `x=${Math.round(request.parents.reduce((s, p) => s + valueOf(p.artifact), 0) / Math.max(1, request.parents.length))}` };
      default: {
        const n = valueOf(request.parents[0]?.artifact);
        const step = 1 + Math.floor(request.temperature * 3);
        const moved = clamp(n + (rng.chance(0.5) ? step : -step));
        const feedback = request.operator === 'improve' ? { problem: `x is ${n}`, suggestion: `try x=${moved}`, intent: 'improve' } : null;
        return { artifact: `x=${moved}`, feedback };
      }
    }
  };
  return {
    name: 'toy',
    options,
    evaluated,
    brief: { space: 'code', task: `Choose an integer x between 0 and ${max}.`, answerContract: TOY_ANSWER_CONTRACT, fitnessUnit: 'percent' },
    initialArtifact: 'x=0',
    descriptorBounds: [[0, max], [0, 4]],
    ruleOperator: { apply: async (request) => operate(request) },
    dedup: options.dedup,
    answerComplete: completeCodeBlock,
    async check(answer): Promise<CheckResult> {
      const metrics = { answerChars: answer.length };
      const n = toyValue(answer);
      if (n === null) return { ok: false, artifact: null, failure: { class: 'extraction', message: 'no x=<n> found in the answer' }, metrics };
      if (n < 0 || n > max) return { ok: false, artifact: `x=${n}`, failure: { class: 'invalid-artifact', message: `x=${n} is outside [0, ${max}]` }, metrics };
      return { ok: true, artifact: `x=${n}`, architecture: null, canonicalHash: `toy:${n}`, descriptors: [n, n % 5], metrics };
    },
    async evaluate(checked: Checked, candidateId: string): Promise<Evaluation> {
      evaluated.push({ candidateId, artifact: checked.artifact });
      const n = toyValue(checked.artifact) ?? 0;
      if (n === 13) return { outcome: { status: 'failed', failure: { class: 'training-nan', message: 'x=13 is unlucky: the loss became NaN' } }, metrics: { evalUnits: n } };
      return { outcome: { status: 'ok', fitness: toyFitness(n, target) }, metrics: { evalUnits: n } };
    },
  };
}

/** The registry entry: register it on a SpaceRegistry to search in it. */
export const toySpaceDefinition: SpaceDefinition<ToySpaceOptions> = {
  name: 'toy',
  description: 'test space: x=<n>, fitness 100 − (n − target)²',
  options: ToySpaceOptions,
  create: async (options) => createToySpace(options),
};
