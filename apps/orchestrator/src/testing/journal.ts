import type { SearchStore } from '@nasfleet/store';

export { waitFor } from '@nasfleet/fleet-testing';

/** Every id told in a search's journal, in tell order (a repeated tell would show up twice). */
export async function toldIds(store: SearchStore, searchId: string): Promise<string[]> {
  const records = await store.readJournal(searchId);
  return records.flatMap(({ entry }) => (entry.op === 'tell' ? entry.results.map((r) => r.id) : []));
}
