import type { JournalEntry } from './journal-entry.ts';

/** Journal entries and a poller shared by the store's tests. */

/** A claim entry. */
export const claim = (i: number): JournalEntry => ({ op: 'claim', id: `c${i}`, hash: `h${i}` });
/** An ask of n from index `from`. */
export const ask = (from: number, n: number): JournalEntry => ({ op: 'ask', n, ids: Array.from({ length: n }, (_, i) => `c${from + i}`) });
/** A tell of one ok and one failed result. */
export const tell = (i: number): JournalEntry => ({
  op: 'tell',
  results: [
    { id: `c${i}`, artifact: 'cell', outcome: { status: 'ok', fitness: 0.5 + i }, descriptors: [1, 2], canonicalHash: `h${i}`, metrics: { params: 10 } },
    { id: `d${i}`, artifact: null, outcome: { status: 'failed', failure: { class: 'syntax', message: 'line 1' } }, feedback: null },
  ],
});

/** Polls `f` until it gives a non-null value (every 50 ms, up to 10 s: a loaded machine is slow). */
export async function waitFor<T>(f: () => Promise<T | null>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await f();
    if (value !== null) return value;
    if (Date.now() > deadline) throw new Error(`nothing within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
