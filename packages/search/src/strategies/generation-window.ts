import type { CandidateLog } from '../engine/candidate-log.ts';

/**
 * LLMatic's "previous generation's best" for a child: the best fitness among the `size` results told
 * last before position `end` of the tell order (failures count toward the window, they have no
 * fitness); null when none of them succeeded or nothing was told yet.
 *
 * The engine evaluates `end` when the child is asked. In the paper's generational mode (a generation
 * of `size` is asked, evaluated and told before the next is asked) those are exactly generation g−1's
 * results; in steady state, where results come back one by one in any order, they are the `size`
 * results that had come back when the child was asked — the generation's analogue, a sliding one.
 */
export function previousGenerationBest(log: CandidateLog, size: number, end: number = log.toldIds().length): number | null {
  const told = log.toldIds();
  let best: number | null = null;
  for (let i = Math.max(0, end - size); i < Math.min(end, told.length); i++) {
    const fitness = log.fitness(told[i]!);
    if (fitness !== null && (best === null || fitness > best)) best = fitness;
  }
  return best;
}
