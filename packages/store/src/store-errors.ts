/**
 * The store's failures. None of them is fixed by retrying the same call: a stale fence means this
 * writer was deposed, corrupt data needs a person, a range or input error is a caller's bug.
 */

/** `createSearch` with an id that already names a search (and no idempotency key that matches it). */
export class SearchExistsError extends Error {
  constructor(readonly searchId: string) {
    super(`search ${JSON.stringify(searchId)} already exists`);
    this.name = 'SearchExistsError';
  }
}

/** An operation on a search the store has never created. */
export class UnknownSearchError extends Error {
  constructor(readonly searchId: string) {
    super(`unknown search ${JSON.stringify(searchId)}`);
    this.name = 'UnknownSearchError';
  }
}

/** A request to change a search that has ended (done, failed or cancelled): nothing was written. */
export class SearchEndedError extends Error {
  constructor(
    readonly searchId: string,
    readonly status: string,
  ) {
    super(`search ${JSON.stringify(searchId)} has ended (${status}): it cannot be paused, resumed or cancelled any more`);
    this.name = 'SearchEndedError';
  }
}

/**
 * A fenced write whose fence is not the token of the search's live lease: the writer's lease expired
 * or was taken over, so it must stop writing this search. Nothing was written.
 */
export class StaleFenceError extends Error {
  constructor(
    readonly searchId: string,
    readonly fence: number,
    /** The live lease's token; null when no lease is held. */
    readonly current: number | null,
  ) {
    super(`stale fence ${fence} for search ${JSON.stringify(searchId)}: ${current === null ? 'no lease is held' : `the live lease has token ${current}`}; nothing was written`);
    this.name = 'StaleFenceError';
  }
}

/** Data read back from the store that is not what the store writes; never half-parsed. */
export class StoreCorruptError extends Error {
  constructor(
    readonly searchId: string | null,
    readonly key: string,
    readonly detail: string,
  ) {
    super(`corrupt store data${searchId === null ? '' : ` for search ${JSON.stringify(searchId)}`} at ${key}: ${detail}`);
    this.name = 'StoreCorruptError';
  }
}

/**
 * A journal position that would break replay: a snapshot beyond the journal's end or older than the
 * saved one, a trim past the latest snapshot, or a read from entries already trimmed.
 */
export class JournalRangeError extends Error {
  constructor(
    readonly searchId: string,
    message: string,
  ) {
    super(`search ${JSON.stringify(searchId)}: ${message}`);
    this.name = 'JournalRangeError';
  }
}

/** Arguments the store will not write (a bad id, an entry that fails its schema, a snapshot that is not JSON). */
export class StoreInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StoreInputError';
  }
}

/** A call on a store after `close()`. */
export class StoreClosedError extends Error {
  constructor() {
    super('the search store is closed');
    this.name = 'StoreClosedError';
  }
}

/** A read after `after` when entries up to `trimmedUpTo` are gone. */
export const trimmedRangeError = (searchId: string, after: number, trimmedUpTo: number): JournalRangeError =>
  new JournalRangeError(searchId, `entries up to seq ${trimmedUpTo} were trimmed, so a read after seq ${after} would skip them; read after the snapshot's atSeq`);

/** A trim past the latest snapshot (`saved`: its atSeq, null when none). */
export const trimBeyondError = (searchId: string, upto: number, saved: number | null): JournalRangeError =>
  new JournalRangeError(searchId, `cannot trim up to seq ${upto}: ${saved === null ? 'no snapshot is saved' : `the latest snapshot is at seq ${saved}`}, and the entries after it are needed to replay`);

/** A snapshot past the journal's end. */
export const snapshotBeyondError = (searchId: string, atSeq: number, lastSeq: number): JournalRangeError =>
  new JournalRangeError(searchId, `a snapshot at seq ${atSeq} is beyond the journal's last seq ${lastSeq}`);

/** A snapshot older than the saved one (a trim may already have removed what it would need). */
export const snapshotOlderError = (searchId: string, atSeq: number, saved: number): JournalRangeError =>
  new JournalRangeError(searchId, `a snapshot at seq ${atSeq} is older than the saved one at seq ${saved}`);
