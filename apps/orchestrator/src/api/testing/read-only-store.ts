import type { SearchStore } from '@nasfleet/store';

const WRITES = ['setStatus', 'putCandidate', 'acquireLease', 'renewLease', 'releaseLease', 'append', 'commit', 'saveSnapshot', 'trimJournal'] as const;

/** A view of a store that throws on every write of a search's state and counts the calls it lets through. */
export function readOnlyStore(store: SearchStore): { store: SearchStore; calls: Map<string, number> } {
  const calls = new Map<string, number>();
  const view = new Proxy(store, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver) as unknown;
      if (typeof key !== 'string' || typeof value !== 'function') return value;
      if ((WRITES as readonly string[]).includes(key)) return () => Promise.reject(new Error(`the API wrote: ${key}`));
      return (...args: unknown[]) => {
        calls.set(key, (calls.get(key) ?? 0) + 1);
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { store: view, calls };
}
