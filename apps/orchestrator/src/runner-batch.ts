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
 * Stores a batch, fenced: provenance records first, then the journal entries (on one connection Redis
 * runs them in that order, so a tell is never journaled without its record); then runs its effects.
 * Returns the last seq the entries got (null when there were none) and their size in JSON bytes.
 */
export async function storeBatch(store: SearchStore, searchId: string, fence: number, batch: RunnerBatch): Promise<{ lastSeq: number | null; bytes: number }> {
  const writes: Promise<unknown>[] = batch.records.map(([id, record]) => store.putCandidate(searchId, id, record, fence));
  let lastSeq: number | null = null;
  let bytes = 0;
  if (batch.entries.length > 0) {
    writes.push(store.append(searchId, batch.entries, fence).then((seqs) => {
      lastSeq = seqs.at(-1) ?? null;
    }));
    for (const entry of batch.entries) bytes += JSON.stringify(entry).length;
  }
  await Promise.all(writes);
  await Promise.all(batch.effects.map((effect) => effect()));
  return { lastSeq, bytes };
}
