import { waitFor } from '@nasfleet/fleet-testing';
import type { SearchRecord, SearchStore } from '@nasfleet/store';

export { waitFor };

/** Every id told in a search's journal, in tell order (a repeated tell would show up twice). */
export async function toldIds(store: SearchStore, searchId: string): Promise<string[]> {
  const records = await store.readJournal(searchId);
  return records.flatMap(({ entry }) => (entry.op === 'tell' ? entry.results.map((r) => r.id) : []));
}

/** The search's record once it is no longer running (done, failed, cancelled, or paused). */
export const searchEnded = (store: SearchStore, searchId: string, what = 'the search to end'): Promise<SearchRecord> =>
  waitFor(async () => {
    const r = await store.getSearch(searchId);
    return r?.status !== 'running' && r;
  }, what);
