import type { CandidateStatus } from './api-types.ts';

/** One generation's fitness, as LLMatic's Figure 2 plots it (null where no candidate of it succeeded). */
export interface GenerationPoint {
  generation: number;
  /** Candidates of the generation told so far, and how many of them succeeded. */
  told: number;
  ok: number;
  best: number | null;
  mean: number | null;
  /** The best fitness of this generation and every earlier one. */
  bestSoFar: number | null;
}

/**
 * Best and mean fitness per generation over the told candidates (in-flight ones are left out), for
 * every generation from 0 to the last one with a told candidate; failed candidates count in `told`
 * but not in the fitness.
 */
export function generationStats(candidates: Iterable<{ generation: number; status: CandidateStatus; fitness: number | null }>): GenerationPoint[] {
  const byGen = new Map<number, { told: number; ok: number; best: number; sum: number }>();
  let last = -1;
  for (const c of candidates) {
    if (c.status === 'in-flight') continue;
    const g = byGen.get(c.generation) ?? { told: 0, ok: 0, best: -Infinity, sum: 0 };
    g.told += 1;
    if (c.status === 'ok' && c.fitness !== null) {
      g.ok += 1;
      g.best = Math.max(g.best, c.fitness);
      g.sum += c.fitness;
    }
    byGen.set(c.generation, g);
    last = Math.max(last, c.generation);
  }
  const points: GenerationPoint[] = [];
  let bestSoFar: number | null = null;
  for (let generation = 0; generation <= last; generation++) {
    const g = byGen.get(generation);
    const best = g && g.ok > 0 ? g.best : null;
    if (best !== null) bestSoFar = bestSoFar === null ? best : Math.max(bestSoFar, best);
    points.push({ generation, told: g?.told ?? 0, ok: g?.ok ?? 0, best, mean: g && g.ok > 0 ? g.sum / g.ok : null, bestSoFar });
  }
  return points;
}
