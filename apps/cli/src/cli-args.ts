import { parseArgs } from 'node:util';
import { z } from 'zod';
import { LlmaticAblation, StrategyName } from '@nasfleet/search';

/** Command-line options of `npm run search`, with their defaults (a small NB201 search, no LLM). */
export const CliOptions = z.object({
  /** Search space: the NAS-Bench-201 cell table (look-up, no training), or open TF.js code trained on Fashion-MNIST. */
  space: z.enum(['nb201', 'code']).default('nb201'),
  strategy: StrategyName.default('hybrid'),
  /** LLMatic ablation (llmatic and hybrid only). */
  ablation: LlmaticAblation.default('none'),
  /** nb201: cifar10 (default) | cifar100 | imagenet16-120; code: fashion-mnist. */
  dataset: z.enum(['cifar10', 'cifar100', 'imagenet16-120', 'fashion-mnist']).optional(),
  /** What the search sees: 200-epoch or 12-epoch validation accuracy. */
  signal: z.enum(['val200', 'val12']).default('val200'),
  /** Default 500 on nb201, 12 in the code space (each one trains a network). */
  evaluations: z.coerce.number().int().min(1).max(1_000_000).optional(),
  /** Code space: training / test images used by the one-epoch proxy. */
  trainSubset: z.coerce.number().int().min(1).default(2048),
  testSubset: z.coerce.number().int().min(1).default(1000),
  /** Code space: proxy epochs and initial learning rate (SPEC §2: 1 and 0.01). */
  epochs: z.coerce.number().int().min(1).max(1000).default(1),
  learningRate: z.coerce.number().positive().max(10).default(0.01),
  /** Code space: where Debian's dataset-fashion-mnist puts the IDX files. */
  fashionMnistDir: z.string().default('/usr/share/datasets/fashion-mnist'),
  /** Code space: retrain the best network and save it here (TF.js model.json + weights + code). */
  export: z.string().min(1).optional(),
  seed: z.coerce.number().int().nonnegative().default(0),
  /** Candidates in flight (asked before their results are told). */
  batch: z.coerce.number().int().min(1).max(10_000).default(1),
  /** Print the report as JSON instead of text. */
  json: z.boolean().default(false),
  help: z.boolean().default(false),
});
/** Options with the per-space defaults resolved. */
export type CliOptions = Omit<z.infer<typeof CliOptions>, 'space' | 'dataset' | 'evaluations'> & (
  | { space: 'nb201'; dataset: 'cifar10' | 'cifar100' | 'imagenet16-120'; evaluations: number }
  | { space: 'code'; dataset: 'fashion-mnist'; evaluations: number }
);

export const USAGE = `usage: npm run search -- [options]

  --space NAME        nb201 (default): the NAS-Bench-201 table, looked up
                      code: TF.js networks written by the rule-based operator, sandboxed, checked
                      and trained for one epoch on Fashion-MNIST (wasm/cpu backend; minutes)
  --strategy NAME     hybrid (default) | llmatic | feedback-memory | regularized-evolution | random
  --ablation NAME     none | network-archive-only | prompt-archive-only | mutation-only |
                      crossover-only | random-generation   (llmatic, hybrid)
  --dataset NAME      nb201: cifar10 (default) | cifar100 | imagenet16-120; code: fashion-mnist
  --signal NAME       val200 (default) | val12: the validation accuracy the search sees
  --evaluations N     candidates to evaluate (default 500 on nb201, 12 in the code space)
  --train-subset N    code space: training images of the proxy (default 2048)
  --test-subset N     code space: test images it is scored on (default 1000)
  --epochs N          code space: proxy epochs (default 1)
  --learning-rate X   code space: initial SGD learning rate, cosine-decayed (default 0.01)
  --export DIR        code space: retrain the best network and save it as a TF.js model
                      (model.json + weights.bin) with its code
  --seed N            random seed (default 0)
  --batch N           candidates in flight at once (default 1)
  --json              print the report as JSON
`;

export class CliUsageError extends Error {
  override name = 'CliUsageError';
}

/** Parses argv (without node and script) into validated options; throws CliUsageError saying what is wrong. */
export function parseCli(argv: string[]): CliOptions {
  let values: Record<string, unknown>;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        space: { type: 'string' }, strategy: { type: 'string' }, ablation: { type: 'string' }, dataset: { type: 'string' },
        signal: { type: 'string' }, evaluations: { type: 'string' }, seed: { type: 'string' }, batch: { type: 'string' },
        json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
        'train-subset': { type: 'string' }, 'test-subset': { type: 'string' }, 'fashion-mnist-dir': { type: 'string' }, export: { type: 'string' },
        epochs: { type: 'string' }, 'learning-rate': { type: 'string' },
      },
    }));
  } catch (error) {
    throw new CliUsageError((error as Error).message);
  }
  const { 'train-subset': trainSubset, 'test-subset': testSubset, 'fashion-mnist-dir': fashionMnistDir, 'learning-rate': learningRate, ...rest } = values;
  const parsed = CliOptions.safeParse({ ...rest, trainSubset, testSubset, fashionMnistDir, learningRate });
  if (!parsed.success) {
    throw new CliUsageError(parsed.error.issues.map((i) => `--${i.path.join('.')}: ${i.message}`).join('\n'));
  }
  if (parsed.data.ablation !== 'none' && parsed.data.strategy !== 'llmatic' && parsed.data.strategy !== 'hybrid') {
    throw new CliUsageError(`--ablation ${parsed.data.ablation} applies to llmatic and hybrid, not ${parsed.data.strategy}`);
  }
  const o = parsed.data;
  if (o.space === 'code') {
    if (o.dataset !== undefined && o.dataset !== 'fashion-mnist') throw new CliUsageError(`--dataset ${o.dataset} is a NAS-Bench-201 dataset; the code space trains on fashion-mnist`);
    return { ...o, space: 'code', dataset: 'fashion-mnist', evaluations: o.evaluations ?? 12 };
  }
  if (o.export !== undefined) throw new CliUsageError('--export applies to --space code (NAS-Bench-201 cells are looked up, not trained)');
  if (o.dataset === 'fashion-mnist') throw new CliUsageError('--dataset fashion-mnist needs --space code (NAS-Bench-201 has cifar10, cifar100, imagenet16-120)');
  return { ...o, space: 'nb201', dataset: o.dataset ?? 'cifar10', evaluations: o.evaluations ?? 500 };
}
