import { describe, expect, it } from 'vitest';
import { Rng } from '@nasfleet/contracts';
import { cvtCentroids, nearestCentroid } from './centroids.ts';
import {
  archiveStats, createArchive, elites, insert, nearestElites, nicheOf, normalise, restoreArchive,
  sampleElites, snapshotArchive, updatePayload,
} from './cvt-archive.ts';

const config = { niches: 100, bounds: [[0, 200], [200e6, 5e9]] as [number, number][], seed: 7 };

describe('cvtCentroids', () => {
  it('is deterministic per seed, differs across seeds, and spreads over the unit square', () => {
    const a = cvtCentroids({ niches: 50, dims: 2, seed: 1, samples: 5000 });
    const b = cvtCentroids({ niches: 50, dims: 2, seed: 1, samples: 5000 });
    const c = cvtCentroids({ niches: 50, dims: 2, seed: 2, samples: 5000 });
    expect(a).toBe(b); // memoised
    expect(a).toHaveLength(50);
    expect(JSON.stringify(a)).not.toEqual(JSON.stringify(c));
    for (const [x, y] of a as number[][]) {
      expect(x).toBeGreaterThan(0);
      expect(x).toBeLessThan(1);
      expect(y).toBeGreaterThan(0);
      expect(y).toBeLessThan(1);
    }
    // Centroids of a CVT cover all four quadrants roughly equally.
    const quadrants = [0, 0, 0, 0];
    for (const [x, y] of a as number[][]) quadrants[(x! < 0.5 ? 0 : 1) + (y! < 0.5 ? 0 : 2)]! += 1;
    for (const q of quadrants) expect(q).toBeGreaterThan(7);
  });

  it('finds the nearest centroid as a brute-force scan does, the lowest index on a tie, in 1 to 3 dimensions', () => {
    const rng = Rng.fromSeed(11);
    for (const dims of [1, 2, 3]) {
      const centroids = cvtCentroids({ niches: 40, dims, seed: dims, samples: 2_000 });
      for (let k = 0; k < 500; k++) {
        const point = Array.from({ length: dims }, () => rng.float() * 1.2 - 0.1);
        const dist = (c: readonly number[]) => c.reduce((sum, x, d) => sum + (x - point[d]!) ** 2, 0);
        const best = centroids.reduce((b, c, i) => (dist(c) < dist(centroids[b]!) ? i : b), 0);
        expect(nearestCentroid(centroids, point)).toBe(best);
      }
    }
    // Two centroids at the same distance: the first wins.
    expect(nearestCentroid([[0.25], [0.75]], [0.5])).toBe(0);
    expect(nearestCentroid([[0.75], [0.25], [0.25]], [0.25])).toBe(1);
  });

  it('rejects nonsense specs', () => {
    expect(() => cvtCentroids({ niches: 0, dims: 2, seed: 1 })).toThrow(/niches/);
    expect(() => cvtCentroids({ niches: 10, dims: 2, seed: 1, samples: 5 })).toThrow(/samples/);
  });
});

describe('CVT archive', () => {
  it('normalises raw descriptors with the bounds before the niche look-up (the LLMatic bug)', () => {
    const archive = createArchive(config);
    expect(normalise(archive.config, [100, 2.6e9])).toEqual([0.5, 0.5]);
    expect(normalise(archive.config, [-5, 9e9])).toEqual([0, 1]);
    // Raw FLOPs dwarf the ratio; without normalisation nearly everything would share a niche.
    const rng = Rng.fromSeed(3);
    const niches = new Set<number>();
    for (let i = 0; i < 400; i++) niches.add(nicheOf(archive, [rng.uniform(0, 200), rng.uniform(200e6, 5e9)]));
    expect(niches.size).toBeGreaterThan(80);
  });

  it('inserts as new, improves only on strictly higher fitness, rejects otherwise', () => {
    let archive = createArchive<string>(config);
    const d = [50, 1e9];
    const first = insert(archive, { id: 'a', fitness: 0.5, descriptors: d, payload: 'x' });
    expect(first.outcome).toBe('new');
    archive = first.archive;
    const tie = insert(archive, { id: 'b', fitness: 0.5, descriptors: d, payload: 'y' });
    expect(tie.outcome).toBe('rejected');
    expect(tie.archive).toBe(archive);
    const worse = insert(archive, { id: 'c', fitness: 0.4, descriptors: d, payload: 'y' });
    expect(worse.outcome).toBe('rejected');
    const better = insert(archive, { id: 'd', fitness: 0.6, descriptors: d, payload: 'z' });
    expect(better.outcome).toBe('improved');
    expect(better.previous?.id).toBe('a');
    expect(better.archive.cells[better.niche]?.id).toBe('d');
    // The original is untouched: operations are pure.
    expect(archive.cells[first.niche]?.id).toBe('a');
    expect(() => insert(archive, { id: 'e', fitness: NaN, descriptors: d, payload: '' })).toThrow(/finite/);
    expect(() => insert(archive, { id: 'e', fitness: 1, descriptors: [1], payload: '' })).toThrow(/descriptors/);
  });

  it('derives coverage, QD score, best and mean', () => {
    let archive = createArchive<null>(config);
    const rng = Rng.fromSeed(11);
    for (let i = 0; i < 30; i++) {
      archive = insert(archive, { id: `n${i}`, fitness: i, descriptors: [rng.uniform(0, 200), rng.uniform(200e6, 5e9)], payload: null }).archive;
    }
    const stats = archiveStats(archive);
    const all = elites(archive);
    expect(stats.size).toBe(all.length);
    expect(stats.coverage).toBeCloseTo(all.length / 100);
    expect(stats.qdScore).toBeCloseTo(all.reduce((s, e) => s + e.fitness, 0));
    expect(stats.best?.id).toBe('n29');
    expect(stats.meanFitness).toBeCloseTo(stats.qdScore / stats.size);
    expect(archiveStats(createArchive(config)).best).toBeNull();
  });

  it('samples elites without replacement and finds nearest neighbours by descriptor', () => {
    let archive = createArchive<null>({ niches: 100, bounds: [[0, 1], [0, 1]], seed: 1 });
    const points: [number, number][] = [[0.1, 0.1], [0.3, 0.1], [0.9, 0.9], [0.5, 0.5], [0.15, 0.35]];
    points.forEach((p, i) => (archive = insert(archive, { id: `p${i}`, fitness: 1, descriptors: p, payload: null }).archive));
    const ids = elites(archive).map((e) => e.id);
    expect(ids).toHaveLength(5);
    const sampled = sampleElites(archive, Rng.fromSeed(1), 3);
    expect(new Set(sampled.map((e) => e.id)).size).toBe(3);
    expect(sampleElites(archive, Rng.fromSeed(1), 10)).toHaveLength(5);
    const near = nearestElites(archive, [0.1, 0.1], 2, new Set(['p0']));
    expect(near.map((e) => e.id)).toEqual(['p1', 'p4']);
  });

  it('snapshots to plain JSON and restores the same archive', () => {
    let archive = createArchive<{ curiosity: number }>(config);
    archive = insert(archive, { id: 'a', fitness: 3, descriptors: [10, 3e8], payload: { curiosity: 0 } }).archive;
    const niche = nicheOf(archive, [10, 3e8]);
    archive = updatePayload(archive, niche, (p) => ({ curiosity: p.curiosity + 1 }));
    const json = JSON.stringify(snapshotArchive(archive));
    const restored = restoreArchive<{ curiosity: number }>(JSON.parse(json));
    expect(restored.cells).toEqual(archive.cells);
    expect(restored.centroids).toEqual(archive.centroids);
    expect(restored.cells[niche]?.payload.curiosity).toBe(1);
    const bad = JSON.parse(json);
    bad.cells.pop();
    expect(() => restoreArchive(bad)).toThrow(/cells/);
  });

  it('rejects bounds with high <= low', () => {
    expect(() => createArchive({ niches: 10, bounds: [[1, 1]], seed: 0 })).toThrow(/high > low/);
  });
});
