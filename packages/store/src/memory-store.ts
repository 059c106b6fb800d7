import type { JournalEntry, JournalRecord, SnapshotRecord } from './journal-entry.ts';
import { CreateSearchInput, ENDED_STATUSES, RequestedStatus, SearchStatus, StatusError } from './search-record.ts';
import type { SearchRecord } from './search-record.ts';
import type { Lease, SearchStore } from './search-store.ts';
import {
  checkCandidateId, checkOwner, checkPosition, checkSearchId, checkToken, checkTtl, decodeEntry, decodeJson, decodeRecord, decodeSnapshot,
  encodeEntries, encodeJson, encodeRecord, encodeRecords, parseInput,
} from './store-codec.ts';
import type { EncodedRecord } from './store-codec.ts';
import {
  SearchEndedError, SearchExistsError, StaleFenceError, StoreClosedError, UnknownSearchError,
  snapshotBeyondError, snapshotOlderError, trimBeyondError, trimmedRangeError,
} from './store-errors.ts';

export interface MemoryStoreOptions {
  /** Milliseconds since the epoch: timestamps and lease expiry. Default Date.now. */
  now?: () => number;
}

interface MemorySearch {
  record: EncodedRecord;
  journal: { seq: number; text: string }[];
  lastSeq: number;
  trimmedUpTo: number;
  snapshot: { atSeq: string; data: string } | null;
  candidates: Map<string, string>;
  lease: { owner: string; token: number; expiresAt: number } | null;
  fence: number;
}

/**
 * A SearchStore in this process's memory, with the Redis store's semantics (one conformance suite):
 * for tests and single-process runs. Values are kept as JSON text and decoded on every read, so
 * what it returns never aliases what it was given. Leases expire by the injected clock.
 */
export function createMemoryStore(options: MemoryStoreOptions = {}): SearchStore {
  const now = options.now ?? Date.now;
  const searches = new Map<string, MemorySearch>();
  const byIdempotencyKey = new Map<string, string>();
  const order: string[] = [];
  let closed = false;

  const open = (): void => {
    if (closed) throw new StoreClosedError();
  };
  const search = (id: unknown): { id: string; s: MemorySearch } => {
    open();
    const checked = checkSearchId(id);
    const s = searches.get(checked);
    if (!s) throw new UnknownSearchError(checked);
    return { id: checked, s };
  };
  const liveLease = (s: MemorySearch): MemorySearch['lease'] => (s.lease && now() < s.lease.expiresAt ? s.lease : null);
  /** The search, if `fence` is its live lease's token; StaleFenceError otherwise. */
  const fenced = (id: unknown, fence: unknown): { id: string; s: MemorySearch } => {
    const found = search(id);
    const token = checkToken(fence);
    const lease = liveLease(found.s);
    if (lease?.token !== token) throw new StaleFenceError(found.id, token, lease?.token ?? null);
    return found;
  };
  const key = (id: string, part = ''): string => `memory:search:${id}${part}`;
  const read = (id: string, s: MemorySearch): SearchRecord => decodeRecord(s.record, id, key(id));

  const store: SearchStore = {
    async createSearch(input) {
      open();
      const { id, spec, idempotencyKey } = parseInput(CreateSearchInput, input, 'search');
      const existingId = idempotencyKey === null ? undefined : byIdempotencyKey.get(idempotencyKey);
      if (existingId !== undefined) return { record: read(existingId, search(existingId).s), created: false };
      if (searches.has(id)) throw new SearchExistsError(id);
      const at = new Date(now()).toISOString();
      const record = encodeRecord({ id, spec, idempotencyKey, status: 'running', createdAt: at, updatedAt: at, error: null, requested: null });
      searches.set(id, { record, journal: [], lastSeq: 0, trimmedUpTo: 0, snapshot: null, candidates: new Map(), lease: null, fence: 0 });
      order.push(id);
      if (idempotencyKey !== null) byIdempotencyKey.set(idempotencyKey, id);
      return { record: read(id, search(id).s), created: true };
    },

    async getSearch(id) {
      open();
      const s = searches.get(checkSearchId(id));
      return s ? read(id, s) : null;
    },

    async listSearches() {
      open();
      return [...order].reverse().map((id) => read(id, search(id).s));
    },

    async setStatus(id, status, fence, error = null) {
      const checkedStatus = parseInput(SearchStatus, status, 'status');
      const checkedError = parseInput(StatusError, error, 'error');
      const found = fenced(id, fence);
      const current = read(found.id, found.s);
      found.s.record = encodeRecord({ ...current, status: checkedStatus, error: checkedError, updatedAt: new Date(now()).toISOString() });
      return read(found.id, found.s);
    },

    async requestStatus(id, requested) {
      const wanted = parseInput(RequestedStatus, requested, 'requested status');
      const found = search(id);
      const current = read(found.id, found.s);
      if (ENDED_STATUSES.includes(current.status)) throw new SearchEndedError(found.id, current.status);
      found.s.record = encodeRecord({ ...current, requested: wanted, updatedAt: new Date(now()).toISOString() });
      return read(found.id, found.s);
    },

    async putCandidate(searchId, candidateId, record, fence) {
      const cid = checkCandidateId(candidateId);
      const text = encodeJson(record, 'the candidate record');
      fenced(searchId, fence).s.candidates.set(cid, text);
    },

    async getCandidate(searchId, candidateId) {
      const cid = checkCandidateId(candidateId);
      const { id, s } = search(searchId);
      const text = s.candidates.get(cid);
      return text === undefined ? null : decodeJson(text, id, key(id, ':candidates'), `candidate ${cid}`);
    },

    async acquireLease(searchId, owner, ttlMs): Promise<Lease | null> {
      const { s } = search(searchId);
      const who = checkOwner(owner);
      const ttl = checkTtl(ttlMs);
      const lease = liveLease(s);
      if (lease && lease.owner !== who) return null;
      s.fence += 1;
      s.lease = { owner: who, token: s.fence, expiresAt: now() + ttl };
      return { token: s.fence };
    },

    async renewLease(searchId, owner, token, ttlMs) {
      const { s } = search(searchId);
      const [who, tok, ttl] = [checkOwner(owner), checkToken(token, 'lease token'), checkTtl(ttlMs)];
      const lease = liveLease(s);
      if (!lease) return 'expired';
      if (lease.owner !== who || lease.token !== tok) return 'taken';
      lease.expiresAt = now() + ttl;
      return 'renewed';
    },

    async releaseLease(searchId, owner, token) {
      const { s } = search(searchId);
      const [who, tok] = [checkOwner(owner), checkToken(token, 'lease token')];
      const lease = liveLease(s);
      if (!lease || lease.owner !== who || lease.token !== tok) return false;
      s.lease = null;
      return true;
    },

    async append(searchId, entries: readonly JournalEntry[], fence) {
      return store.commit(searchId, { entries }, fence);
    },

    async commit(searchId, writes, fence) {
      const records = encodeRecords(writes.records);
      const texts = encodeEntries(writes.entries);
      const { s } = fenced(searchId, fence);
      for (const [cid, text] of records) s.candidates.set(cid, text);
      return texts.map((text) => {
        s.lastSeq += 1;
        s.journal.push({ seq: s.lastSeq, text });
        return s.lastSeq;
      });
    },

    async readJournal(searchId, afterSeq = 0, limit): Promise<JournalRecord[]> {
      const { id, s } = search(searchId);
      const after = checkPosition(afterSeq, 'afterSeq');
      const max = limit === undefined ? Infinity : checkToken(limit, 'limit');
      if (after < s.trimmedUpTo) throw trimmedRangeError(id, after, s.trimmedUpTo);
      return s.journal.filter((e) => e.seq > after).slice(0, max).map((e) => ({ seq: e.seq, entry: decodeEntry(e.text, id, key(id, ':journal'), e.seq) }));
    },

    async saveSnapshot(searchId, snapshot, atSeq, fence) {
      const data = encodeJson(snapshot, 'the snapshot');
      const at = checkPosition(atSeq, 'atSeq');
      const { id, s } = fenced(searchId, fence);
      if (at > s.lastSeq) throw snapshotBeyondError(id, at, s.lastSeq);
      const saved = s.snapshot === null ? null : Number(s.snapshot.atSeq);
      if (saved !== null && at < saved) throw snapshotOlderError(id, at, saved);
      s.snapshot = { atSeq: String(at), data };
    },

    async loadSnapshot(searchId): Promise<SnapshotRecord | null> {
      const { id, s } = search(searchId);
      return decodeSnapshot(s.snapshot?.atSeq, s.snapshot?.data, id, key(id, ':snapshot'));
    },

    async trimJournal(searchId, uptoSeq, fence) {
      const upto = checkPosition(uptoSeq, 'uptoSeq');
      const { id, s } = fenced(searchId, fence);
      const saved = s.snapshot === null ? 0 : Number(s.snapshot.atSeq);
      if (upto > saved) throw trimBeyondError(id, upto, s.snapshot === null ? null : saved);
      if (upto <= s.trimmedUpTo) return 0;
      const before = s.journal.length;
      s.journal = s.journal.filter((e) => e.seq > upto);
      s.trimmedUpTo = upto;
      return before - s.journal.length;
    },

    async close() {
      closed = true;
    },
  };
  return store;
}
