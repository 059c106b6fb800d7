import { Rng } from '@nasfleet/contracts';

/** How CVT centroids are made: `niches` k-means centres over `samples` uniform points in [0,1]^dims. */
export interface CentroidSpec {
  niches: number;
  dims: number;
  seed: number;
  /** Uniform samples k-means runs over (default: 500 per niche, at least 10,000). */
  samples?: number;
  /** Lloyd iterations (default 30; stops early when no point changes centre). */
  iterations?: number;
}

const cache = new Map<string, readonly (readonly number[])[]>();

/**
 * Centroids of a CVT-MAP-Elites archive: seeded k-means (Lloyd) over uniform samples of the unit
 * hypercube. Pure and deterministic for a spec; computed once per spec and memoised, since every
 * archive of a search (and every restore of it) needs the same ones.
 */
export function cvtCentroids(spec: CentroidSpec): readonly (readonly number[])[] {
  const samples = spec.samples ?? Math.max(10_000, spec.niches * 500);
  const iterations = spec.iterations ?? 30;
  if (!Number.isInteger(spec.niches) || spec.niches < 1) throw new RangeError(`niches must be a positive integer, got ${spec.niches}`);
  if (!Number.isInteger(spec.dims) || spec.dims < 1) throw new RangeError(`dims must be a positive integer, got ${spec.dims}`);
  if (samples < spec.niches) throw new RangeError(`need at least as many samples (${samples}) as niches (${spec.niches})`);
  const key = `${spec.niches}/${spec.dims}/${spec.seed}/${samples}/${iterations}`;
  const hit = cache.get(key);
  if (hit) return hit;

  const { niches, dims } = spec;
  const rng = Rng.fromSeed(spec.seed);
  const points = new Float64Array(samples * dims);
  for (let i = 0; i < points.length; i++) points[i] = rng.float();
  // Initial centres: distinct random samples.
  const centres = new Float64Array(niches * dims);
  const chosen = rng.sample(Array.from({ length: samples }, (_, i) => i), niches);
  chosen.forEach((p, c) => centres.set(points.subarray(p * dims, p * dims + dims), c * dims));

  const assign = new Int32Array(samples).fill(-1);
  const sums = new Float64Array(niches * dims);
  const counts = new Int32Array(niches);
  for (let it = 0; it < iterations; it++) {
    let changed = 0;
    sums.fill(0);
    counts.fill(0);
    for (let p = 0; p < samples; p++) {
      const c = nearestIndex(centres, niches, dims, points, p * dims);
      if (assign[p] !== c) changed++;
      assign[p] = c;
      counts[c]! += 1;
      for (let d = 0; d < dims; d++) sums[c * dims + d]! += points[p * dims + d]!;
    }
    for (let c = 0; c < niches; c++) {
      // An empty cluster keeps its centre (rare with 500 samples per niche).
      if (counts[c]! === 0) continue;
      for (let d = 0; d < dims; d++) centres[c * dims + d] = sums[c * dims + d]! / counts[c]!;
    }
    if (changed === 0) break;
  }
  const result = Array.from({ length: niches }, (_, c) => Object.freeze(Array.from(centres.subarray(c * dims, c * dims + dims))));
  Object.freeze(result);
  cache.set(key, result);
  return result;
}

function nearestIndex(centres: Float64Array, niches: number, dims: number, points: Float64Array, offset: number): number {
  let best = 0;
  let bestDist = Infinity;
  for (let c = 0; c < niches; c++) {
    let dist = 0;
    for (let d = 0; d < dims; d++) {
      const diff = centres[c * dims + d]! - points[offset + d]!;
      dist += diff * diff;
    }
    if (dist < bestDist) {
      bestDist = dist;
      best = c;
    }
  }
  return best;
}

/** Index of the centroid nearest to a normalised point (ties: the lowest index). */
export function nearestCentroid(centroids: readonly (readonly number[])[], point: readonly number[]): number {
  const dims = centroids[0]?.length ?? 0;
  const flat = flatCentres(centroids, dims);
  const p = new Float64Array(dims);
  for (let d = 0; d < dims; d++) p[d] = point[d] ?? 0;
  return nearestIndex(flat, centroids.length, dims, p, 0);
}

/** Centroids as one Float64Array, made once per (frozen, memoised) centroid list: a niche look-up runs for every told candidate. */
const flattened = new WeakMap<readonly (readonly number[])[], Float64Array>();
function flatCentres(centroids: readonly (readonly number[])[], dims: number): Float64Array {
  let flat = flattened.get(centroids);
  if (!flat) {
    flat = new Float64Array(centroids.length * dims);
    centroids.forEach((centre, c) => {
      for (let d = 0; d < dims; d++) flat![c * dims + d] = centre[d] ?? 0;
    });
    flattened.set(centroids, flat);
  }
  return flat;
}
