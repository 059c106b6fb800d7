import type { Strategy } from './strategy.ts';
import { bareProposal } from './strategy.ts';
import type { StrategyDefinition } from './strategy-definition.ts';

/** Random search: every request samples a fresh architecture from the space. The baseline of baselines. */
export function createRandomSearch(): Strategy {
  return {
    name: 'random',
    startsFromInitial: false,
    propose: () => bareProposal('sample', [], 1),
    observe: () => undefined,
    stats: () => ({}),
    snapshot: () => ({}),
  };
}

/** Registry entry of random search (no state to restore). */
export const randomSearchStrategy: StrategyDefinition = {
  name: 'random',
  description: 'random search: every candidate is a fresh sample of the space',
  needsDescriptors: false,
  create: () => createRandomSearch(),
};
