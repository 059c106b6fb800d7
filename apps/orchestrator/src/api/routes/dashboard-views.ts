import { NB201_DESCRIPTOR_NAMES } from '@nasfleet/nb201';
import { createArchive } from '@nasfleet/search';
import type { ArchiveConfig, CandidateRecord, SearchEngine } from '@nasfleet/search';
import { ApiError } from '../api-errors.ts';
import type { SearchView } from '../search-reader.ts';
import type { ArchiveGeometry, CandidateList, CandidateSummary } from './dashboard-schemas.ts';

/** What the dashboard's read endpoints answer, derived from a SearchView: no I/O, nothing written. */

/**
 * The network archive's descriptor names per space, in the order the space's check returns them
 * (nb201: its own list; code: @nasfleet/arch's descriptorVector, [widthToDepth, flops]). A space not
 * listed gets d0, d1, …: the SearchSpace interface carries bounds but no names.
 */
const NETWORK_DESCRIPTORS: Record<string, readonly string[]> = {
  nb201: NB201_DESCRIPTOR_NAMES,
  code: ['width/depth ratio', 'FLOPs'],
};

/** The prompt archive's descriptors (prompt-archive.ts in @nasfleet/search: promptDescriptors). */
const PROMPT_DESCRIPTORS = ['prompt (index / (prompts − 1))', 'temperature'];

function summary(c: CandidateRecord): CandidateSummary {
  const outcome = c.result?.outcome;
  return {
    id: c.id, index: c.index, generation: c.generation, operator: c.operator, parentIds: c.parentIds,
    status: outcome?.status ?? 'in-flight',
    fitness: outcome?.status === 'ok' ? outcome.fitness : null,
    failureClass: outcome?.status === 'failed' ? outcome.failure.class : null,
    promptId: c.prompt?.id ?? null, temperature: c.temperature,
  };
}

/** Every candidate's summary, kept per engine and journal seq: engine.candidates() copies every record. */
const summaries = new WeakMap<SearchEngine, { seq: number; list: CandidateSummary[] }>();

function summariesOf(engine: SearchEngine, seq: number): CandidateSummary[] {
  const kept = summaries.get(engine);
  if (kept?.seq === seq) return kept.list;
  const list = engine.candidates().map(summary);
  summaries.set(engine, { seq, list });
  return list;
}

/** A page of the search's candidates in ask order from index `from`; an empty list before the search started. */
export function candidateList(view: SearchView, from: number, limit: number): CandidateList {
  const state = view.state;
  const generationSize = state?.engine.config.generationSize ?? 1;
  if (!state) return { searchId: view.record.id, generationSize, asked: 0, candidates: [], next: null };
  const all = summariesOf(state.engine, state.lastSeq);
  const start = all.findIndex((c) => c.index >= from);
  const candidates = start < 0 ? [] : all.slice(start, start + limit);
  const last = candidates.at(-1);
  const more = start >= 0 && start + candidates.length < all.length;
  return { searchId: view.record.id, generationSize, asked: all.length, candidates, next: more && last ? last.index + 1 : null };
}

/** An archive's shape as its strategy made it: niche count, descriptor names and bounds, centroids. */
function archiveConfig(engine: SearchEngine, name: string, space: string | null): { config: ArchiveConfig; names: readonly string[] } | null {
  if (name === 'network') {
    const config = engine.config.networkArchive;
    const names = NETWORK_DESCRIPTORS[space ?? ''] ?? config.bounds.map((_, d) => `d${d}`);
    return { config, names };
  }
  if (name === 'prompt') {
    const { niches, seed } = engine.config.promptArchive;
    return { config: { niches, seed, bounds: [[0, 1], [0, 1]] }, names: PROMPT_DESCRIPTORS };
  }
  return null;
}

/**
 * The geometry of one of the search's archives: its CVT centroids (the same seeded k-means the
 * archive made, memoised in @nasfleet/search), descriptor names and bounds. 409 before the search
 * started; 404 when its strategy has no archive of that name.
 */
export function archiveGeometry(view: SearchView, name: string): ArchiveGeometry {
  const engine = view.state?.engine;
  if (!engine) throw new ApiError(409, 'not-started', `search ${view.record.id} has not started yet: no orchestrator has saved its state`);
  const names = Object.keys(engine.archives());
  const known = names.includes(name) ? archiveConfig(engine, name, view.spec?.space.name ?? null) : null;
  if (!known) {
    throw new ApiError(404, 'not-found', `search ${view.record.id} has no archive '${name}' with a known geometry (${names.length ? `it has: ${names.join(', ')}` : 'its strategy keeps none'})`);
  }
  const archive = createArchive(known.config);
  return {
    searchId: view.record.id, name, niches: archive.centroids.length, descriptorNames: [...known.names],
    bounds: archive.config.bounds, centroids: archive.centroids.map((c) => [...c]),
  };
}
