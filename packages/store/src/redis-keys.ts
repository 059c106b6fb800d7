import { StoreInputError } from './store-errors.ts';

/**
 * The Redis key layout. Every key starts with the prefix, which must hold a hash tag (`{nasfleet}`):
 * Redis Cluster then puts all of the store's keys in one slot, which its multi-key scripts need.
 */
export interface StoreKeys {
  /** Sorted set: search id → creation order (a counter, so "newest first" needs no clock). */
  readonly searches: string;
  /** Counter behind `searches`' scores. */
  readonly order: string;
  /** Hash: idempotency key → search id. */
  readonly idempotency: string;
  /** The keys of one search. */
  search(id: string): SearchKeys;
}

export interface SearchKeys {
  /** Hash: the SearchRecord's fields, each as JSON text. */
  readonly record: string;
  /** Stream: one entry per journal entry, id `<seq>-0`, field `e` = the entry's JSON. */
  readonly journal: string;
  /** Hash: `last` (last seq given) and `trimmed` (entries up to it are gone). */
  readonly journalMeta: string;
  /** Hash: `atSeq` and `data` (the snapshot's JSON) of the latest snapshot. */
  readonly snapshot: string;
  /** String `<token>:<owner>` with a PX expiry: the live lease. */
  readonly lease: string;
  /** Counter: the last fencing token handed out (never expires, so tokens only grow). */
  readonly fence: string;
  /** Hash: candidate id → its provenance record's JSON (putCandidate). */
  readonly candidates: string;
}

/** The keys under `prefix`; StoreInputError when the prefix has no `{hash tag}`. */
export function storeKeys(prefix: string): StoreKeys {
  if (!/^[^{]*\{[^}]+\}/.test(prefix)) {
    throw new StoreInputError(`the key prefix ${JSON.stringify(prefix)} needs a hash tag like {nasfleet}, so every key lands in one Redis Cluster slot`);
  }
  return {
    searches: `${prefix}:searches`,
    order: `${prefix}:searches:order`,
    idempotency: `${prefix}:idempotency`,
    search(id) {
      const base = `${prefix}:search:${id}`;
      return {
        record: base,
        journal: `${base}:journal`,
        journalMeta: `${base}:journal:meta`,
        snapshot: `${base}:snapshot`,
        lease: `${base}:lease`,
        fence: `${base}:fence`,
        candidates: `${base}:candidates`,
      };
    },
  };
}
