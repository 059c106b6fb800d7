import type { Strategy } from './strategy.ts';
import { bareProposal } from './strategy.ts';

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
