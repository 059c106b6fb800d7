import { parseArgs } from 'node:util';
import { z } from 'zod';
import { LlmaticAblation, StrategyName } from '@nasfleet/search';

/** Command-line options of `npm run search`, with their defaults (a small NB201 search, no LLM). */
export const CliOptions = z.object({
  /** Search space: the NAS-Bench-201 cell table (look-up, no training). */
  space: z.enum(['nb201']).default('nb201'),
  strategy: StrategyName.default('hybrid'),
  /** LLMatic ablation (llmatic and hybrid only). */
  ablation: LlmaticAblation.default('none'),
  dataset: z.enum(['cifar10', 'cifar100', 'imagenet16-120']).default('cifar10'),
  /** What the search sees: 200-epoch or 12-epoch validation accuracy. */
  signal: z.enum(['val200', 'val12']).default('val200'),
  evaluations: z.coerce.number().int().min(1).max(1_000_000).default(500),
  seed: z.coerce.number().int().nonnegative().default(0),
  /** Candidates in flight (asked before their results are told). */
  batch: z.coerce.number().int().min(1).max(10_000).default(1),
  /** Print the report as JSON instead of text. */
  json: z.boolean().default(false),
  help: z.boolean().default(false),
});
export type CliOptions = z.infer<typeof CliOptions>;

export const USAGE = `usage: npm run search -- [options]

  --strategy NAME     hybrid (default) | llmatic | feedback-memory | regularized-evolution | random
  --ablation NAME     none | network-archive-only | prompt-archive-only | mutation-only |
                      crossover-only | random-generation   (llmatic, hybrid)
  --dataset NAME      cifar10 (default) | cifar100 | imagenet16-120
  --signal NAME       val200 (default) | val12: the validation accuracy the search sees
  --evaluations N     candidates to evaluate (default 500)
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
      },
    }));
  } catch (error) {
    throw new CliUsageError((error as Error).message);
  }
  const parsed = CliOptions.safeParse(values);
  if (!parsed.success) {
    throw new CliUsageError(parsed.error.issues.map((i) => `--${i.path.join('.')}: ${i.message}`).join('\n'));
  }
  if (parsed.data.ablation !== 'none' && parsed.data.strategy !== 'llmatic' && parsed.data.strategy !== 'hybrid') {
    throw new CliUsageError(`--ablation ${parsed.data.ablation} applies to llmatic and hybrid, not ${parsed.data.strategy}`);
  }
  return parsed.data;
}
