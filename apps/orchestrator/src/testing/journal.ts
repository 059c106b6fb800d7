import type { SearchStore } from '@nasfleet/store';

/** Every id told in a search's journal, in tell order (a repeated tell would show up twice). */
export async function toldIds(store: SearchStore, searchId: string): Promise<string[]> {
  const records = await store.readJournal(searchId);
  return records.flatMap(({ entry }) => (entry.op === 'tell' ? entry.results.map((r) => r.id) : []));
}

/** Polls until `probe` gives a value (not null/undefined/false); throws naming `what` after `timeoutMs`. */
export async function waitFor<T>(probe: () => Promise<T | null | undefined | false>, what: string, timeoutMs = 240_000, everyMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== null && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
