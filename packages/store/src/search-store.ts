import type { JournalEntry, JournalRecord, SnapshotRecord } from './journal-entry.ts';
import type { CreateSearchInput, RequestedStatus, SearchRecord, SearchStatus } from './search-record.ts';

/** A lease on a search: its fencing token, to pass to every write while the lease lasts. */
export interface Lease {
  readonly token: number;
}

/** What a renewal found (see SearchStore.renewLease). */
export type LeaseRenewal = 'renewed' | 'expired' | 'taken';

/**
 * A search's durable state: its record, an append-only journal of engine operations, the latest
 * snapshot, and a lease that makes one orchestrator the search's only writer.
 *
 * Fencing: `acquireLease` hands out a token that is higher than every token handed out before for
 * that search. Every write of a search's state (`append`, `saveSnapshot`, `trimJournal`,
 * `setStatus`) takes a `fence`, and is rejected whole with StaleFenceError unless `fence` is the
 * token of the search's live lease: a deposed orchestrator — whose lease expired, whether or not
 * someone took over — cannot write. Everything written is checked with the zod schemas, and
 * everything read back is checked again: bad data is StoreCorruptError, never a half-parsed value.
 *
 * Every per-search call except `getSearch` throws UnknownSearchError for a search never created.
 * Implementations: `createMemoryStore`, `createRedisStore`; both pass `describeSearchStore`.
 */
/** What `commit` writes: provenance records by candidate id, then journal entries. */
export interface CommitWrites {
  readonly records?: readonly (readonly [candidateId: string, record: unknown])[];
  readonly entries: readonly JournalEntry[];
}

export interface SearchStore {
  /**
   * Creates a search with status 'running'. An idempotency key seen before returns the search it
   * created (`created: false`) and creates nothing, whatever the id; an id already taken throws
   * SearchExistsError. Invalid input throws StoreInputError.
   */
  createSearch(input: CreateSearchInput): Promise<{ record: SearchRecord; created: boolean }>;

  /** The search, or null when there is none with that id. */
  getSearch(id: string): Promise<SearchRecord | null>;

  /** Every search, the most recently created first. */
  listSearches(): Promise<SearchRecord[]>;

  /** Sets status and error (null unless given) and updatedAt; fenced. Returns the updated record. */
  setStatus(id: string, status: SearchStatus, fence: number, error?: string | null): Promise<SearchRecord>;

  /**
   * Records what a client asks the search to become (`requested`, and updatedAt); unfenced: the
   * search's writer applies it under its lease. SearchEndedError once the search is done, failed or
   * cancelled (nothing is written). Returns the updated record.
   */
  requestStatus(id: string, requested: RequestedStatus): Promise<SearchRecord>;

  /**
   * Saves one candidate's provenance record (JSON: request, answer, code, checks, result, workers,
   * timings), replacing an earlier one of that candidate; fenced, like every write of a search's state.
   */
  putCandidate(searchId: string, candidateId: string, record: unknown, fence: number): Promise<void>;

  /** The candidate's provenance record, or null when none was saved. */
  getCandidate(searchId: string, candidateId: string): Promise<unknown>;

  /**
   * Takes the search's lease for `owner` for `ttlMs`: a fresh token, higher than any before. Null
   * while another owner holds an unexpired lease; the same owner re-acquiring gets a new token (its
   * old one is then stale).
   */
  acquireLease(searchId: string, owner: string, ttlMs: number): Promise<Lease | null>;

  /**
   * Sets the lease's time to live to `ttlMs` from now ('renewed') if `owner` still holds it with
   * `token`. Otherwise changes nothing and says why, as the store sees it in the same atomic step:
   * 'expired' (no lease holds the search: it ran out, or a crashed Redis lost its last renewals) or
   * 'taken' (another lease holds it: another owner's, or this owner's later one, which made `token` stale).
   */
  renewLease(searchId: string, owner: string, token: number, ttlMs: number): Promise<LeaseRenewal>;

  /** Gives the lease up (true) if `owner` still holds it with `token`; otherwise changes nothing (false). */
  releaseLease(searchId: string, owner: string, token: number): Promise<boolean>;

  /**
   * Appends entries all-or-nothing, fenced, and returns their seqs: consecutive, following the last
   * seq ever given in this search (1 for the first). An empty list writes nothing and returns [].
   */
  append(searchId: string, entries: readonly JournalEntry[], fence: number): Promise<number[]>;

  /**
   * One writer operation's writes as one atomic, fenced step: candidates' provenance records (as
   * putCandidate) and journal entries (as append), all or none; returns the entries' seqs. What the
   * orchestrator stores per operation, in one round trip.
   */
  commit(searchId: string, writes: CommitWrites, fence: number): Promise<number[]>;

  /**
   * Entries with seq > afterSeq in seq order, at most `limit`. JournalRangeError when entries after
   * `afterSeq` were trimmed (a replay from there would skip them).
   */
  readJournal(searchId: string, afterSeq?: number, limit?: number): Promise<JournalRecord[]>;

  /**
   * Saves the engine's state after the entries up to `atSeq` (JSON), replacing the previous
   * snapshot; fenced. JournalRangeError when `atSeq` is beyond the journal's last seq or before the
   * saved snapshot's. Never trims the journal.
   */
  saveSnapshot(searchId: string, snapshot: unknown, atSeq: number, fence: number): Promise<void>;

  /** The latest snapshot, or null when none was saved. */
  loadSnapshot(searchId: string): Promise<SnapshotRecord | null>;

  /**
   * Deletes journal entries with seq ≤ uptoSeq, fenced; returns how many were removed.
   * JournalRangeError when `uptoSeq` is beyond the latest snapshot's atSeq (their effect would be lost).
   */
  trimJournal(searchId: string, uptoSeq: number, fence: number): Promise<number>;

  /** Releases what the store owns (a connection it opened); later calls throw StoreClosedError. */
  close(): Promise<void>;
}
