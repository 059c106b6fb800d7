import type { JournalEntry, SearchStore } from '@nasfleet/store';

/**
 * What one runner operation (a start, a result, a control, a sweep) writes: journal entries and
 * provenance records, sent to Redis together when it ends, and the effects (jobs to enqueue) that may
 * run only once they are stored. The engine changes in memory at once: if storing fails, the
 * orchestrator drops the runner and a new one restores the search from the store.
 */
export interface RunnerBatch {
  entries: JournalEntry[];
  records: [string, unknown][];
  effects: (() => Promise<unknown>)[];
}

export const emptyBatch = (): RunnerBatch => ({ entries: [], records: [], effects: [] });

/**
 * Stores a batch in one fenced, atomic step (store.commit: provenance records and journal entries
 * together, one round trip), then starts its effects without waiting for them: what they do is
 * journaled already, so the runner's next operation need not wait a round trip, and an effect that
 * fails (Redis away) goes to `onEffectError` and is made good by the runner's sweep (a job that is not
 * in Redis is enqueued again). Returns the last seq the entries got (null when there were none), their
 * size in JSON bytes, and the effects' settling (for callers that must know they landed).
 */
export async function storeBatch(
  store: SearchStore, searchId: string, fence: number, batch: RunnerBatch, onEffectError: (error: Error) => void,
): Promise<{ lastSeq: number | null; bytes: number; effects: Promise<void> }> {
  let bytes = 0;
  for (const entry of batch.entries) bytes += JSON.stringify(entry).length;
  const seqs = batch.entries.length + batch.records.length > 0 ? await store.commit(searchId, { records: batch.records, entries: batch.entries }, fence) : [];
  const effects = Promise.all(batch.effects.map((effect) => effect())).then(
    () => undefined,
    (error: unknown) => onEffectError(error instanceof Error ? error : new Error(String(error))),
  );
  return { lastSeq: seqs.at(-1) ?? null, bytes, effects };
}
