import { describe, expect, it } from 'vitest';
import { generationStats } from './generation-stats.ts';

describe('generationStats', () => {
  it('gives best, mean and best-so-far per generation over the told successes, with gaps as null', () => {
    const points = generationStats([
      { generation: 0, status: 'ok', fitness: 50 },
      { generation: 0, status: 'ok', fitness: 70 },
      { generation: 0, status: 'failed', fitness: null },
      { generation: 1, status: 'failed', fitness: null },
      { generation: 2, status: 'ok', fitness: 60 },
      { generation: 2, status: 'in-flight', fitness: null },
      { generation: 3, status: 'in-flight', fitness: null },
    ]);
    expect(points).toEqual([
      { generation: 0, told: 3, ok: 2, best: 70, mean: 60, bestSoFar: 70 },
      { generation: 1, told: 1, ok: 0, best: null, mean: null, bestSoFar: 70 },
      { generation: 2, told: 1, ok: 1, best: 60, mean: 60, bestSoFar: 70 },
    ]);
  });

  it('is empty before anything was told', () => {
    expect(generationStats([{ generation: 0, status: 'in-flight', fitness: null }])).toEqual([]);
  });
});
