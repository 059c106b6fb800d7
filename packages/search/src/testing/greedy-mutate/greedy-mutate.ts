import { z } from 'zod';
// Only the package's public entry: this folder is what a strategy written outside the package looks like.
import { bareProposal } from '../../index.ts';
import type { Strategy, StrategyDefinition } from '../../index.ts';

const GreedyState = z.object({
  /** Successes that beat every earlier one (a count the tests read back from snapshots). */
  improvements: z.number().int().nonnegative(),
  bestSeen: z.number().nullable(),
});
type GreedyState = z.infer<typeof GreedyState>;

/** Share of requests that sample afresh instead of mutating the best: pure hill climbing stalls. */
const EXPLORE = 0.1;

/**
 * A deliberately tiny strategy for the registry tests: mutate the best candidate so far, sample when
 * nothing has trained yet (and now and then). Restores its state from `snapshot`, checked by zod.
 */
export function createGreedyMutate(snapshot?: unknown): Strategy {
  const state: GreedyState = snapshot === undefined ? { improvements: 0, bestSeen: null } : GreedyState.parse(snapshot);
  return {
    name: 'greedy-mutate',
    startsFromInitial: false,
    propose(ctx) {
      const best = ctx.log.best();
      if (best === null || ctx.rng.chance(EXPLORE)) return bareProposal('sample', [], 1);
      return bareProposal('mutate', [ctx.log.ref(best.id)], 0.5);
    },
    observe(_ctx, record) {
      const outcome = record.result.outcome;
      if (outcome.status !== 'ok' || (state.bestSeen !== null && outcome.fitness <= state.bestSeen)) return;
      state.bestSeen = outcome.fitness;
      state.improvements += 1;
    },
    stats: () => ({}),
    snapshot: () => structuredClone(state),
  };
}

/** The registry entry: register it on `defaultStrategies()` to search with it. */
export const greedyMutateStrategy: StrategyDefinition = {
  name: 'greedy-mutate',
  description: 'test strategy: mutate the best candidate so far, sample now and then',
  needsDescriptors: false,
  create: (_config, snapshot) => createGreedyMutate(snapshot),
};
