import type { JournalRecord } from '@nasfleet/store';
import { applyJournal } from '../runner-state.ts';
import type { RestoredState } from '../runner-state.ts';

/**
 * Applies journal entries that follow `state.lastSeq` to a restored state, in place, exactly as the
 * runner's restore replays them (runner-state.ts' applyJournal), so that a reader keeps up with a
 * running search without restoring its whole snapshot at every change.
 */
export function catchUp(searchId: string, state: Pick<RestoredState, 'engine' | 'pending' | 'lastSeq'>, records: readonly JournalRecord[]): void {
  applyJournal(searchId, state, records);
}
