import type { CandidateRecord, SearchEngine } from '@nasfleet/search';
import { CandidateProvenance, slimRequest } from '../provenance.ts';
import type { ExportStatus } from './export-job.ts';
import { ApiError } from './api-errors.ts';
import type { Ancestor, ArchiveAnswer, CandidateAnswer, ExportAnswer, SearchDetail, SearchSummary } from './api-schemas.ts';
import type { SearchView } from './search-reader.ts';

/** What the API answers, derived from a SearchView (search-reader.ts): no I/O, nothing written. */

/** The status().details field of each archive, by the name the API gives it. */
const ARCHIVE_STATS = { network: 'networkArchive', prompt: 'promptArchive' } as const;

const fitnessOf = (c: CandidateRecord | undefined | null): number | null => (c?.result?.outcome.status === 'ok' ? c.result.outcome.fitness : null);

/** A search in a list: what it is and how far it got. */
export function searchSummary(view: SearchView): SearchSummary {
  const { record, spec, state } = view;
  return {
    id: record.id, status: record.status, requested: record.requested, createdAt: record.createdAt, updatedAt: record.updatedAt,
    strategy: spec?.config.strategy ?? null, space: spec?.space.name ?? null, evaluations: spec?.evaluations ?? null,
    told: state?.engine.status().told ?? 0,
  };
}

type EngineFacts = Pick<SearchDetail, 'best' | 'archives' | 'outcomes' | 'distinct' | 'strategyStats'> & { asked: number; told: number; inFlight: number };

/** What a detail reads off an engine, kept per engine and journal seq: counting outcomes copies every candidate. */
const factsCache = new WeakMap<SearchEngine, { seq: number; facts: EngineFacts }>();

function engineFacts(engine: SearchEngine, seq: number): EngineFacts {
  const kept = factsCache.get(engine);
  if (kept?.seq === seq) return kept.facts;
  const status = engine.status();
  const best = engine.best();
  const bestFitness = fitnessOf(best);
  const archives: SearchDetail['archives'] = {};
  for (const [name, view] of Object.entries(engine.archives())) {
    const stats = status.details[ARCHIVE_STATS[name as keyof typeof ARCHIVE_STATS]];
    archives[name] = { niches: view.niches, size: view.cells.length, coverage: view.cells.length / view.niches, qdScore: stats?.qdScore ?? null, best: stats?.best ?? null };
  }
  const outcomes: SearchDetail['outcomes'] = { ok: 0, failed: 0, byFailureClass: {} };
  for (const c of engine.candidates()) {
    const outcome = c.result?.outcome;
    if (outcome?.status === 'ok') outcomes.ok += 1;
    if (outcome?.status !== 'failed') continue;
    outcomes.failed += 1;
    outcomes.byFailureClass[outcome.failure.class] = (outcomes.byFailureClass[outcome.failure.class] ?? 0) + 1;
  }
  const facts: EngineFacts = {
    asked: status.asked, told: status.told, inFlight: status.inFlight,
    best: best && bestFitness !== null ? { id: best.id, fitness: bestFitness } : null,
    archives, outcomes, distinct: status.distinct, strategyStats: status.details,
  };
  factsCache.set(engine, { seq, facts });
  return facts;
}

const NOT_STARTED: EngineFacts = {
  asked: 0, told: 0, inFlight: 0, best: null, archives: {}, outcomes: { ok: 0, failed: 0, byFailureClass: {} }, distinct: 0, strategyStats: {},
};

/** A search in full: progress, best, archives (coverage, QD score, size), outcomes by failure class. */
export function searchDetail(view: SearchView): SearchDetail {
  const { record, spec, state } = view;
  const evaluations = spec?.evaluations ?? null;
  const { asked, told, inFlight, ...facts } = state ? engineFacts(state.engine, state.lastSeq) : NOT_STARTED;
  return {
    search: record,
    started: state !== null,
    progress: { asked, told, inFlight, evaluations, fraction: evaluations === null ? null : Math.min(1, told / evaluations) },
    ...structuredClone(facts),
  };
}

/** The engine of a search that has started; 409 before. */
function engineOf(view: SearchView): SearchEngine {
  if (!view.state) throw new ApiError(409, 'not-started', `search ${view.record.id} has not started yet: no orchestrator has saved its state`);
  return view.state.engine;
}

/** One archive's occupied cells; 404 when the search's strategy has no archive of that name. */
export function archiveAnswer(view: SearchView, name: string): ArchiveAnswer {
  const archives = engineOf(view).archives();
  const archive = archives[name];
  if (!archive) {
    const names = Object.keys(archives);
    throw new ApiError(404, 'not-found', `search ${view.record.id} has no archive '${name}' (${names.length ? `it has: ${names.join(', ')}` : 'its strategy keeps none'})`);
  }
  return { searchId: view.record.id, name, niches: archive.niches, size: archive.cells.length, coverage: archive.cells.length / archive.niches, cells: archive.cells };
}

/** Longest lineage walked: a guard against a cycle in damaged data, far beyond any real search's depth. */
const MAX_LINEAGE = 10_000;

/** The candidate's first parents back to the first candidate, nearest first. */
export function lineageOf(engine: SearchEngine, id: string): Ancestor[] {
  const lineage: Ancestor[] = [];
  const seen = new Set([id]);
  let next = engine.candidate(id)?.parentIds[0];
  while (next !== undefined && !seen.has(next) && lineage.length < MAX_LINEAGE) {
    seen.add(next);
    const c = engine.candidate(next);
    if (!c) break;
    const outcome = c.result?.outcome;
    lineage.push({ id: c.id, operator: c.operator, parentIds: c.parentIds, status: outcome?.status ?? 'in-flight', fitness: fitnessOf(c) });
    next = c.parentIds[0];
  }
  return lineage;
}

/**
 * A candidate: its provenance record when told (`stored`, as store.getCandidate returned it), what the
 * engine knows, the request while it is in flight, and its lineage. 404 when neither the engine nor
 * the store knows it; a stored record that fails its schema is an error (corrupt data), not a 404.
 */
export function candidateAnswer(view: SearchView, cid: string, stored: unknown): CandidateAnswer {
  const provenance = stored === null || stored === undefined ? null : CandidateProvenance.parse(stored);
  const engine = view.state?.engine ?? null;
  const candidate = engine?.candidate(cid) ?? null;
  if (!candidate && !provenance) throw new ApiError(404, 'not-found', `search ${view.record.id} has no candidate '${cid}'`);
  const pending = view.state?.pending.get(cid) ?? null;
  const told = provenance !== null || (candidate?.result ?? null) !== null;
  return {
    searchId: view.record.id,
    id: cid,
    told,
    stage: told ? 'told' : pending?.generated ? 'train' : 'generate',
    code: candidate?.artifact ?? provenance?.result.artifact ?? pending?.generated?.check?.artifact ?? null,
    candidate,
    request: !told && pending ? slimRequest(pending.request) : null,
    provenance,
    lineage: engine ? lineageOf(engine, cid) : [],
  };
}

/**
 * The best candidate's code (or NB201 cell), architecture and fitness; 409 while the search has no
 * successful candidate. Honest about weights: the fleet trains candidates for the search's proxy and
 * keeps no weights, so there are none to hand out.
 */
/**
 * The candidate an export is about: `candidateId` (told and successful, else 404 / 409) or the
 * search's best (409 while there is none).
 */
export function exportedCandidate(view: SearchView, candidateId?: string) {
  const engine = view.state?.engine;
  if (candidateId === undefined) {
    const best = engine?.best() ?? null;
    if (!best || fitnessOf(best) === null || best.artifact === null) throw new ApiError(409, 'no-result', `search ${view.record.id} has no successful candidate yet`);
    return best;
  }
  const found = engine?.candidate(candidateId) ?? null;
  if (!found) throw new ApiError(404, 'not-found', `search ${view.record.id} has no candidate ${candidateId}`);
  if (!found.result) throw new ApiError(409, 'no-result', `candidate ${candidateId} of search ${view.record.id} is still in flight`);
  if (fitnessOf(found) === null || found.artifact === null) throw new ApiError(409, 'no-result', `candidate ${candidateId} of search ${view.record.id} failed (${found.result.outcome.status === 'failed' ? found.result.outcome.failure.class : 'no result'}): there is nothing to export`);
  return found;
}

export function exportAnswer(view: SearchView, stored: unknown, exported: ExportStatus | null, candidateId?: string): ExportAnswer {
  const best = exportedCandidate(view, candidateId);
  const fitness = fitnessOf(best)!;
  const provenance = stored === null || stored === undefined ? null : CandidateProvenance.parse(stored);
  const check = provenance?.check?.ok ? provenance.check : null;
  const space = view.spec?.space.name ?? 'unknown';
  const note = space === 'code'
    ? 'The search trained each candidate for its short proxy and kept no weights: POST /v1/searches/:id/export has a training worker train this candidate again the same seeded way and keep them (model.state says where that stands).'
    : 'A NAS-Bench-201 cell is scored by table look-up: there are no weights; the cell string is the architecture.';
  const model = exported === null ? null : {
    state: exported.state, validationAccuracy: exported.validationAccuracy, weightBytes: exported.files?.weightBytes ?? null,
    modelJson: exported.state === 'done' ? `/v1/searches/${encodeURIComponent(view.record.id)}/export/model.json${candidateId === undefined ? '' : `?candidate=${encodeURIComponent(best.id)}`}` : null, error: exported.error,
  };
  return {
    searchId: view.record.id, candidateId: best.id, space, fitness, code: best.artifact!,
    architecture: check?.architecture ?? null, metrics: best.result?.metrics ?? null, model, note,
  };
}
