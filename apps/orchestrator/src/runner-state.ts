import { z } from 'zod';
import { CandidateRequest, StepRun } from '@nasfleet/contracts';
import { GenerateOutput } from '@nasfleet/queues';
import { SearchEngine } from '@nasfleet/search';
import type { JournalRecord, SearchStore } from '@nasfleet/store';

/** A candidate's journaled generate output, and which worker produced it when (absent in journals from before provenance). */
export const GeneratedStage = GenerateOutput.extend({ run: StepRun.optional() });
export type GeneratedStage = z.infer<typeof GeneratedStage>;

/** An asked, untold candidate: its request, when it was asked, and its generate step's output once journaled. */
export const Pending = z.object({
  request: CandidateRequest,
  generated: GeneratedStage.nullable(),
  askedAt: z.iso.datetime().optional(),
});
export type Pending = z.infer<typeof Pending>;

/**
 * What the runner saves as a search's snapshot: the engine's, and the candidates in flight at that
 * seq (their requests are not in the engine's snapshot, and a restart re-enqueues them).
 */
export const RunnerSnapshot = z.object({
  format: z.literal('nasfleet.runner/v1'),
  engine: z.unknown(),
  pending: z.array(Pending),
});
export type RunnerSnapshot = z.infer<typeof RunnerSnapshot>;

/** A search's state rebuilt from the store. */
export interface RestoredState {
  engine: SearchEngine;
  /** In ask order. */
  pending: Map<string, Pending>;
  /** The journal's last seq (0: empty). */
  lastSeq: number;
  /** The seq the latest snapshot was saved at (0: none was saved). */
  snapshotSeq: number;
  /** False when nothing was saved yet: the engine was made fresh by `create`. */
  restored: boolean;
}

/** The snapshot to save after the journal's entries up to some seq. */
export function runnerSnapshot(engine: SearchEngine, pending: Map<string, Pending>): RunnerSnapshot {
  return { format: 'nasfleet.runner/v1', engine: engine.snapshot(), pending: [...pending.values()].map((p) => structuredClone(p)) };
}

/**
 * Rebuilds a search's engine and in-flight candidates: the latest snapshot (or `create()` when none
 * was saved), then the journal after it, replayed in seq order (asks are re-asked and their ids
 * checked against the journal's: a mismatch means the engine or its config changed, and is thrown).
 * Reads only: a reader (the HTTP API) may call it on a search another process writes.
 */
export async function restoreState(store: SearchStore, searchId: string, create: () => SearchEngine): Promise<RestoredState> {
  const saved = await store.loadSnapshot(searchId);
  let engine: SearchEngine;
  const pending = new Map<string, Pending>();
  if (saved) {
    const runner = RunnerSnapshot.parse(saved.snapshot);
    engine = SearchEngine.restore(runner.engine);
    for (const p of runner.pending) pending.set(p.request.id, p);
  } else {
    engine = create();
  }
  const state = { engine, pending, lastSeq: saved?.atSeq ?? 0 };
  applyJournal(searchId, state, await store.readJournal(searchId, state.lastSeq));
  const { lastSeq } = state;
  return { engine, pending, lastSeq, snapshotSeq: saved?.atSeq ?? 0, restored: saved !== null };
}

/**
 * Applies journal entries that follow `state.lastSeq` to a search's state, in place, in seq order:
 * asks are re-asked and checked against the journal's ids (a mismatch means the engine or its config
 * changed), stage records, claims and tells. The one replay both the runner's restore and the API's
 * readers (catching up with a running search) use. Throws on an ask that does not replay or an entry
 * out of order; the state is then unusable.
 */
export function applyJournal(searchId: string, state: Pick<RestoredState, 'engine' | 'pending' | 'lastSeq'>, records: readonly JournalRecord[]): void {
  const { engine, pending } = state;
  for (const { seq, entry } of records) {
    if (seq <= state.lastSeq) throw new Error(`search ${searchId}: journal entry ${seq} is not after ${state.lastSeq}`);
    if (entry.op === 'ask') {
      const requests = engine.ask(entry.n);
      const ids = requests.map((r) => r.id);
      if (ids.join(',') !== entry.ids.join(',')) throw new Error(`search ${searchId}: replaying the ask at seq ${seq} gave ${ids.join(',')}, the journal has ${entry.ids.join(',')}`);
      for (const request of requests) pending.set(request.id, { request, generated: null, ...(entry.at ? { askedAt: entry.at } : {}) });
    } else if (entry.op === 'generated') {
      const p = pending.get(entry.id);
      if (p) p.generated = { generate: entry.generate, check: entry.check, ...(entry.run ? { run: entry.run } : {}) };
    } else if (entry.op === 'claim') {
      engine.claimHash(entry.id, entry.hash);
    } else {
      engine.tell(entry.results);
      for (const r of entry.results) pending.delete(r.id);
    }
    state.lastSeq = seq;
  }
}
