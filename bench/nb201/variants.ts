import type { SearchConfigInput } from '@nasfleet/search';

/** A strategy or ablation the bench runs: a name and the search config it stands for (seed and archive added per run). */
export interface Variant {
  name: string;
  config: Omit<SearchConfigInput, 'networkArchive' | 'seed'>;
}

/**
 * Every strategy and ablation, in table order. A new ablation switch is one entry here (its name
 * becomes a row and a `--strategies` choice).
 */
export const VARIANTS: Variant[] = [
  { name: 'random', config: { strategy: 'random' } },
  { name: 'regularized-evolution', config: { strategy: 'regularized-evolution' } },
  { name: 'llmatic', config: { strategy: 'llmatic' } },
  ...(['network-archive-only', 'prompt-archive-only', 'mutation-only', 'crossover-only', 'random-generation'] as const).map((ablation) => ({
    name: `llmatic/${ablation}`, config: { strategy: 'llmatic' as const, llmatic: { ablation } },
  })),
  { name: 'hybrid', config: { strategy: 'hybrid' } },
  { name: 'feedback-memory', config: { strategy: 'feedback-memory' } },
  { name: 'feedback-memory/no-improver', config: { strategy: 'feedback-memory', memory: { improver: false } } },
  { name: 'feedback-memory/no-reference', config: { strategy: 'feedback-memory', memory: { reference: false } } },
  { name: 'feedback-memory/no-history', config: { strategy: 'feedback-memory', memory: { history: false } } },
];

/** Named groups for `--strategies`: 'core' is what the targets compare. */
export const VARIANT_GROUPS: Record<string, string[]> = {
  core: ['random', 'regularized-evolution', 'llmatic', 'hybrid'],
  all: VARIANTS.map((v) => v.name),
};
