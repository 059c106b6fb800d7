import type { JournalRecord } from '@nasfleet/store';
import type { RestoredState } from '../runner-state.ts';

/**
 * Applies journal entries that follow `state.lastSeq` to a restored state, in place, as restoreState
 * replays them (asks re-asked and checked against the journal's ids, stage records, claims, tells),
 * so that a reader keeps up with a running search without restoring its whole snapshot at every
 * change. Throws on an ask that does not replay, or an entry out of order; the state is then unusable.
 */
export function catchUp(searchId: string, state: Pick<RestoredState, 'engine' | 'pending' | 'lastSeq'>, records: readonly JournalRecord[]): void {
  const { engine, pending } = state;
  for (const { seq, entry } of records) {
    if (seq <= state.lastSeq) throw new Error(`search ${searchId}: journal entry ${seq} is not after ${state.lastSeq}`);
    if (entry.op === 'ask') {
      const ids = engine.ask(entry.n).map((request) => {
        pending.set(request.id, { request, generated: null });
        return request.id;
      });
      if (ids.join(',') !== entry.ids.join(',')) throw new Error(`search ${searchId}: replaying the ask at seq ${seq} gave ${ids.join(',')}, the journal has ${entry.ids.join(',')}`);
    } else if (entry.op === 'generated') {
      const p = pending.get(entry.id);
      if (p) p.generated = { generate: entry.generate, check: entry.check };
    } else if (entry.op === 'claim') {
      engine.claimHash(entry.id, entry.hash);
    } else {
      engine.tell(entry.results);
      for (const r of entry.results) pending.delete(r.id);
    }
    state.lastSeq = seq;
  }
}
