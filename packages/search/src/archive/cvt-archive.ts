import { z } from 'zod';
import type { Rng } from '@nasfleet/contracts';
import { cvtCentroids, nearestCentroid } from './centroids.ts';

/** Shape of a CVT-MAP-Elites archive: niche count, descriptor bounds and the centroid seed. */
export const ArchiveConfig = z
  .object({
    /** Number of niches (CVT centroids). */
    niches: z.number().int().min(1).max(100_000).default(100),
    /** [low, high] per descriptor, in raw units; values are normalised to [0,1] with them and clipped. */
    bounds: z.array(z.tuple([z.number().finite(), z.number().finite()])).min(1).max(16),
    /** Seed of the k-means centroids (same seed, same niches). */
    seed: z.number().int().default(0),
    samples: z.number().int().positive().optional(),
    iterations: z.number().int().positive().optional(),
  })
  .refine((c) => c.bounds.every(([lo, hi]) => hi > lo), { message: 'every descriptor bound must have high > low', path: ['bounds'] });
export type ArchiveConfig = z.infer<typeof ArchiveConfig>;

/** One occupant of a niche. `descriptors` are raw values; `payload` is whatever the owner keeps there. */
export interface Elite<P = unknown> {
  id: string;
  fitness: number;
  descriptors: readonly number[];
  niche: number;
  payload: P;
}

/** The archive is plain data; every operation below returns a new one. */
export interface Archive<P = unknown> {
  config: ArchiveConfig;
  centroids: readonly (readonly number[])[];
  cells: readonly (Elite<P> | null)[];
}

export type InsertOutcome = 'new' | 'improved' | 'rejected';

/** An empty archive for a config (centroids computed once per (niches, dims, seed), then memoised). */
export function createArchive<P = unknown>(config: z.input<typeof ArchiveConfig>): Archive<P> {
  const parsed = ArchiveConfig.parse(config);
  const centroids = cvtCentroids({
    niches: parsed.niches,
    dims: parsed.bounds.length,
    seed: parsed.seed,
    ...(parsed.samples === undefined ? {} : { samples: parsed.samples }),
    ...(parsed.iterations === undefined ? {} : { iterations: parsed.iterations }),
  });
  return { config: parsed, centroids, cells: new Array<Elite<P> | null>(parsed.niches).fill(null) };
}

/** Raw descriptors → [0,1]^d with the config's bounds, clipped. Throws on a wrong count or a non-finite value. */
export function normalise(config: ArchiveConfig, raw: readonly number[]): number[] {
  if (raw.length !== config.bounds.length) {
    throw new RangeError(`expected ${config.bounds.length} descriptors, got ${raw.length}`);
  }
  return raw.map((value, d) => {
    if (!Number.isFinite(value)) throw new RangeError(`descriptor ${d} is not finite: ${value}`);
    const [lo, hi] = config.bounds[d]!;
    return Math.min(1, Math.max(0, (value - lo) / (hi - lo)));
  });
}

/** The niche a raw descriptor vector falls into (nearest centroid after normalisation). */
export function nicheOf(archive: Archive<unknown>, raw: readonly number[]): number {
  return nearestCentroid(archive.centroids, normalise(archive.config, raw));
}

/**
 * Offers a candidate to the archive. It takes an empty niche ('new') or replaces an occupant with
 * strictly lower fitness ('improved'); otherwise the archive is unchanged ('rejected').
 */
export function insert<P>(
  archive: Archive<P>,
  candidate: { id: string; fitness: number; descriptors: readonly number[]; payload: P },
): { archive: Archive<P>; outcome: InsertOutcome; niche: number; previous: Elite<P> | null } {
  if (!Number.isFinite(candidate.fitness)) throw new RangeError(`fitness of ${candidate.id} is not finite`);
  const niche = nicheOf(archive, candidate.descriptors);
  const previous = archive.cells[niche] ?? null;
  if (previous && previous.fitness >= candidate.fitness) return { archive, outcome: 'rejected', niche, previous };
  const cells = [...archive.cells];
  // Keys in schema order, so a snapshot and its validated restore serialise identically.
  cells[niche] = { id: candidate.id, fitness: candidate.fitness, descriptors: [...candidate.descriptors], niche, payload: candidate.payload };
  return { archive: { ...archive, cells }, outcome: previous ? 'improved' : 'new', niche, previous };
}

/** Replaces the payload of a niche's elite (e.g. a prompt's curiosity). No-op on an empty niche. */
export function updatePayload<P>(archive: Archive<P>, niche: number, update: (payload: P) => P): Archive<P> {
  const elite = archive.cells[niche];
  if (!elite) return archive;
  const cells = [...archive.cells];
  cells[niche] = { ...elite, payload: update(elite.payload) };
  return { ...archive, cells };
}

/** All elites, in niche order. */
export function elites<P>(archive: Archive<P>): Elite<P>[] {
  return archive.cells.filter((e): e is Elite<P> => e !== null);
}

/** k elites drawn uniformly without replacement (fewer if the archive holds fewer). */
export function sampleElites<P>(archive: Archive<P>, rng: Rng, k: number): Elite<P>[] {
  return rng.sample(elites(archive), k);
}

/**
 * The k elites nearest to `raw` in normalised descriptor space, nearest first (ties by niche),
 * leaving out the ids in `exclude`.
 */
export function nearestElites<P>(archive: Archive<P>, raw: readonly number[], k: number, exclude: ReadonlySet<string> = new Set()): Elite<P>[] {
  const target = normalise(archive.config, raw);
  return elites(archive)
    .filter((e) => !exclude.has(e.id))
    .map((e) => ({ e, d: distance(normalise(archive.config, e.descriptors), target) }))
    .sort((a, b) => a.d - b.d || a.e.niche - b.e.niche)
    .slice(0, k)
    .map(({ e }) => e);
}

function distance(a: readonly number[], b: readonly number[]): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += (a[i]! - b[i]!) ** 2;
  return Math.sqrt(sum);
}

export interface ArchiveStats {
  size: number;
  /** Occupied niches / niches. */
  coverage: number;
  /** Sum over elites of (fitness − offset); offset 0 unless given (accuracies are ≥ 0). */
  qdScore: number;
  best: Elite<unknown> | null;
  meanFitness: number | null;
}

/** Statistics derived from the cells (never stored). */
export function archiveStats<P>(archive: Archive<P>, offset = 0): ArchiveStats {
  const all = elites(archive);
  let best: Elite<P> | null = null;
  let sum = 0;
  for (const e of all) {
    sum += e.fitness;
    if (!best || e.fitness > best.fitness) best = e;
  }
  return {
    size: all.length,
    coverage: all.length / archive.cells.length,
    qdScore: sum - offset * all.length,
    best,
    meanFitness: all.length ? sum / all.length : null,
  };
}

/** Schema of `snapshotArchive` output whose elites carry payloads of `payload`'s shape. */
export function archiveSnapshotSchema<P extends z.ZodType>(payload: P) {
  const elite = z.object({ id: z.string(), fitness: z.number().finite(), descriptors: z.array(z.number().finite()), niche: z.number().int().nonnegative(), payload });
  return z.object({ config: ArchiveConfig, cells: z.array(elite.nullable()) });
}

/** Plain-JSON form of an archive (centroids are recomputed from the config on restore). */
export interface ArchiveSnapshot<P = unknown> {
  config: ArchiveConfig;
  cells: (Elite<P> | null)[];
}

export function snapshotArchive<P>(archive: Archive<P>): ArchiveSnapshot<P> {
  return structuredCloneJson({ config: archive.config, cells: [...archive.cells] });
}

/** Rebuilds an archive from `snapshotArchive` output; throws if the cells do not fit the config. */
export function restoreArchive<P>(snapshot: ArchiveSnapshot<P>): Archive<P> {
  const fresh = createArchive<P>(snapshot.config);
  if (snapshot.cells.length !== fresh.cells.length) {
    throw new RangeError(`snapshot has ${snapshot.cells.length} cells, config says ${fresh.cells.length}`);
  }
  snapshot.cells.forEach((cell, i) => {
    if (cell && cell.niche !== i) throw new RangeError(`snapshot cell ${i} claims niche ${cell.niche}`);
  });
  return { ...fresh, cells: structuredCloneJson(snapshot.cells) };
}

function structuredCloneJson<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
