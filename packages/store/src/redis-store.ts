import { Redis } from 'ioredis';
import type { Cluster } from 'ioredis';
import type { JournalRecord } from './journal-entry.ts';
import { storeKeys } from './redis-keys.ts';
import { defineStoreScripts } from './redis-scripts.ts';
import { CreateSearchInput, RequestedStatus, SearchStatus, StatusError } from './search-record.ts';
import type { SearchRecord } from './search-record.ts';
import type { SearchStore } from './search-store.ts';
import {
  checkCandidateId, checkOwner, checkPosition, checkSearchId, checkToken, checkTtl, decodeCount, decodeEntry, decodeJson, decodeRecord, decodeSnapshot,
  encodeEntries, encodeJson, encodeRecord, encodeRecords, parseInput,
} from './store-codec.ts';
import {
  SearchEndedError, SearchExistsError, StaleFenceError, StoreClosedError, StoreCorruptError, UnknownSearchError,
  snapshotBeyondError, snapshotOlderError, trimBeyondError, trimmedRangeError,
} from './store-errors.ts';

export interface RedisStoreOptions {
  /** A client (the caller keeps owning it: `close` leaves it open) or a URL (the store opens and closes its own). */
  redis: Redis | Cluster | string;
  /** Start of every key; must hold a hash tag so that all keys share one Cluster slot. Default '{nasfleet}'. */
  prefix?: string;
  /** Milliseconds since the epoch, for createdAt/updatedAt. Leases expire by Redis's own clock (PX). */
  now?: () => number;
}

/**
 * A SearchStore in Redis (key layout: redis-keys.ts). Every check-and-write is one Lua script
 * (redis-scripts.ts), reads of several keys are one MULTI, and everything read back is decoded and
 * checked (store-codec.ts): a wrong type or malformed value is StoreCorruptError naming search and key.
 */
export function createRedisStore(options: RedisStoreOptions): SearchStore {
  const keys = storeKeys(options.prefix ?? '{nasfleet}');
  const now = options.now ?? Date.now;
  const owned = typeof options.redis === 'string';
  const client = typeof options.redis === 'string' ? new Redis(options.redis) : options.redis;
  // A client the store opened reports connection trouble through the commands that fail; without a
  // listener ioredis would also print every reconnect attempt as an unhandled error.
  if (owned) client.on('error', () => {});
  const run = defineStoreScripts(client);
  let closed = false;

  /** Runs a command of `searchId`, turning a WRONGTYPE reply (a key that is not what the store writes) into StoreCorruptError. */
  const call = async <T>(searchId: string | null, key: string, f: () => Promise<T>): Promise<T> => {
    if (closed) throw new StoreClosedError();
    try {
      return await f();
    } catch (error) {
      if (error instanceof Error && /WRONGTYPE/.test(error.message)) throw new StoreCorruptError(searchId, key, error.message);
      throw error;
    }
  };
  /** One MULTI's replies; a failed command's error is thrown (through `call`'s mapping). */
  const exec = async (multi: ReturnType<typeof client.multi>): Promise<unknown[]> => {
    const replies = await multi.exec();
    if (!replies) throw new Error('a Redis transaction was aborted');
    return replies.map(([error, value]) => {
      if (error) throw error;
      return value;
    });
  };
  /** Interprets the shared refusals of the per-search scripts; returns the reply when it is 'ok'. */
  const answered = (searchId: string, fence: number | null, reply: string[]): string[] => {
    const [status, a = '', b = ''] = reply;
    if (status === 'unknown') throw new UnknownSearchError(searchId);
    if (status === 'stale') throw new StaleFenceError(searchId, fence ?? 0, a === '' ? null : Number(a));
    if (status === 'corrupt') throw new StoreCorruptError(searchId, a, b);
    return reply;
  };
  const readRecord = async (id: string): Promise<SearchRecord | null> => {
    const key = keys.search(id).record;
    const fields = await call(id, key, () => client.hgetall(key));
    return Object.keys(fields).length === 0 ? null : decodeRecord(fields, id, key);
  };

  const store: SearchStore = {
    async createSearch(input) {
      const { id, spec, idempotencyKey } = parseInput(CreateSearchInput, input, 'search');
      const at = new Date(now()).toISOString();
      const fields = encodeRecord({ id, spec, idempotencyKey, status: 'running', createdAt: at, updatedAt: at, error: null, requested: null });
      const k = keys.search(id);
      const [status, existing] = await call(id, k.record, () =>
        run.nasfleetStoreCreate(k.record, keys.idempotency, keys.searches, keys.order, id, idempotencyKey ?? '', ...Object.entries(fields).flat()));
      if (status === 'exists') throw new SearchExistsError(id);
      const recordId = status === 'existing' ? (existing as string) : id;
      const record = await readRecord(recordId);
      if (!record) throw new StoreCorruptError(recordId, keys.idempotency, `idempotency key ${JSON.stringify(idempotencyKey)} names a search with no record`);
      return { record, created: status === 'created' };
    },

    async getSearch(id) {
      return readRecord(checkSearchId(id));
    },

    async listSearches() {
      const ids = await call(null, keys.searches, () => client.zrevrange(keys.searches, 0, -1));
      if (ids.length === 0) return [];
      const multi = client.multi();
      for (const id of ids) multi.hgetall(keys.search(id).record);
      const replies = await call(null, keys.searches, () => exec(multi));
      return ids.map((id, i) => {
        const key = keys.search(id).record;
        const fields = replies[i] as Record<string, string>;
        if (Object.keys(fields).length === 0) throw new StoreCorruptError(id, key, `the search is listed in ${keys.searches} but has no record`);
        return decodeRecord(fields, id, key);
      });
    },

    async setStatus(id, status, fence, error = null) {
      const searchId = checkSearchId(id);
      const token = checkToken(fence);
      const changed = {
        status: JSON.stringify(parseInput(SearchStatus, status, 'status')),
        error: JSON.stringify(parseInput(StatusError, error, 'error')),
        updatedAt: JSON.stringify(new Date(now()).toISOString()),
      };
      const k = keys.search(searchId);
      answered(searchId, token, await call(searchId, k.record, () =>
        run.nasfleetStoreStatus(k.record, k.lease, String(token), ...Object.entries(changed).flat())));
      const record = await readRecord(searchId);
      if (!record) throw new UnknownSearchError(searchId);
      return record;
    },

    async requestStatus(id, requested) {
      const searchId = checkSearchId(id);
      const wanted = JSON.stringify(parseInput(RequestedStatus, requested, 'requested status'));
      const k = keys.search(searchId);
      const [status, value = ''] = answered(searchId, null, await call(searchId, k.record, () =>
        run.nasfleetStoreRequest(k.record, wanted, JSON.stringify(new Date(now()).toISOString()))));
      if (status === 'ended') throw new SearchEndedError(searchId, String(decodeJson(value, searchId, k.record, 'field status')));
      const record = await readRecord(searchId);
      if (!record) throw new UnknownSearchError(searchId);
      return record;
    },

    async putCandidate(searchId, candidateId, record, fence) {
      const id = checkSearchId(searchId);
      const cid = checkCandidateId(candidateId);
      const text = encodeJson(record, 'the candidate record');
      const token = checkToken(fence);
      const k = keys.search(id);
      answered(id, token, await call(id, k.candidates, () => run.nasfleetStorePutCandidate(k.record, k.lease, k.candidates, String(token), cid, text)));
    },

    async getCandidate(searchId, candidateId) {
      const id = checkSearchId(searchId);
      const cid = checkCandidateId(candidateId);
      const k = keys.search(id);
      const [exists, text] = await call(id, k.candidates, () => exec(client.multi().exists(k.record).hget(k.candidates, cid)));
      if (exists === 0) throw new UnknownSearchError(id);
      return text === null ? null : decodeJson(text as string, id, k.candidates, `candidate ${cid}`);
    },

    async acquireLease(searchId, owner, ttlMs) {
      const id = checkSearchId(searchId);
      const [who, ttl] = [checkOwner(owner), checkTtl(ttlMs)];
      const k = keys.search(id);
      const [status, token] = answered(id, null, await call(id, k.lease, () => run.nasfleetStoreAcquire(k.record, k.lease, k.fence, who, String(ttl))));
      return status === 'ok' ? { token: decodeCount(token, id, k.fence, 'the fencing token', true) as number } : null;
    },

    async renewLease(searchId, owner, token, ttlMs) {
      const id = checkSearchId(searchId);
      const value = `${checkToken(token, 'lease token')}:${checkOwner(owner)}`;
      const k = keys.search(id);
      const [status] = answered(id, null, await call(id, k.lease, () => run.nasfleetStoreRenew(k.record, k.lease, value, String(checkTtl(ttlMs)))));
      if (status === 'ok') return 'renewed';
      if (status === 'expired' || status === 'taken') return status;
      throw new Error(`renewing the lease of search ${id}: unexpected reply ${JSON.stringify(status)} from the renew script`);
    },

    async releaseLease(searchId, owner, token) {
      const id = checkSearchId(searchId);
      const value = `${checkToken(token, 'lease token')}:${checkOwner(owner)}`;
      const k = keys.search(id);
      const [status] = answered(id, null, await call(id, k.lease, () => run.nasfleetStoreRelease(k.record, k.lease, value)));
      return status === 'ok';
    },

    async append(searchId, entries, fence) {
      return store.commit(searchId, { entries }, fence);
    },

    async commit(searchId, writes, fence) {
      const id = checkSearchId(searchId);
      const records = encodeRecords(writes.records);
      const texts = encodeEntries(writes.entries);
      const token = checkToken(fence);
      const k = keys.search(id);
      const args = [String(token), String(records.length), ...records.flat(), ...texts];
      const [, first] = answered(id, token, await call(id, k.journal, () => run.nasfleetStoreCommit(k.record, k.lease, k.journalMeta, k.journal, k.candidates, ...args)));
      const start = decodeCount(first, id, k.journalMeta, 'the first seq', true) as number;
      return texts.map((_, i) => start + i);
    },

    async readJournal(searchId, afterSeq = 0, limit): Promise<JournalRecord[]> {
      const id = checkSearchId(searchId);
      const after = checkPosition(afterSeq, 'afterSeq');
      const max = limit === undefined ? null : checkToken(limit, 'limit');
      const k = keys.search(id);
      const multi = client.multi().exists(k.record).hmget(k.journalMeta, 'trimmed');
      if (max === null) multi.xrange(k.journal, String(after + 1), '+');
      else multi.xrange(k.journal, String(after + 1), '+', 'COUNT', max);
      const [exists, meta, rows] = await call(id, k.journal, () => exec(multi));
      if (exists === 0) throw new UnknownSearchError(id);
      const trimmed = decodeCount((meta as (string | null)[])[0], id, k.journalMeta, 'trimmed') ?? 0;
      if (after < trimmed) throw trimmedRangeError(id, after, trimmed);
      return (rows as [string, string[]][]).map(([streamId, fields]) => {
        const seq = Number(/^(\d{1,15})-0$/.exec(streamId)?.[1] ?? NaN);
        if (!Number.isSafeInteger(seq) || seq <= after) throw new StoreCorruptError(id, k.journal, `stream id ${streamId} is not <seq>-0 after seq ${after}`);
        const [field, text] = fields;
        if (field !== 'e' || text === undefined || fields.length !== 2) throw new StoreCorruptError(id, k.journal, `entry ${seq} has fields ${JSON.stringify(fields.filter((_, i) => i % 2 === 0))}, not just e`);
        return { seq, entry: decodeEntry(text, id, k.journal, seq) };
      });
    },

    async saveSnapshot(searchId, snapshot, atSeq, fence) {
      const id = checkSearchId(searchId);
      const data = encodeJson(snapshot, 'the snapshot');
      const at = checkPosition(atSeq, 'atSeq');
      const token = checkToken(fence);
      const k = keys.search(id);
      const [status, value = ''] = answered(id, token, await call(id, k.snapshot, () =>
        run.nasfleetStoreSnapshot(k.record, k.lease, k.journalMeta, k.snapshot, String(token), String(at), data)));
      if (status === 'beyond') throw snapshotBeyondError(id, at, Number(value));
      if (status === 'older') throw snapshotOlderError(id, at, Number(value));
    },

    async loadSnapshot(searchId) {
      const id = checkSearchId(searchId);
      const k = keys.search(id);
      const [exists, parts] = await call(id, k.snapshot, () => exec(client.multi().exists(k.record).hmget(k.snapshot, 'atSeq', 'data')));
      if (exists === 0) throw new UnknownSearchError(id);
      const [atSeq, data] = parts as (string | null)[];
      return decodeSnapshot(atSeq, data, id, k.snapshot);
    },

    async trimJournal(searchId, uptoSeq, fence) {
      const id = checkSearchId(searchId);
      const upto = checkPosition(uptoSeq, 'uptoSeq');
      const token = checkToken(fence);
      const k = keys.search(id);
      const [status, value = ''] = answered(id, token, await call(id, k.journal, () =>
        run.nasfleetStoreTrim(k.record, k.lease, k.journalMeta, k.snapshot, k.journal, String(token), String(upto))));
      if (status === 'beyond') throw trimBeyondError(id, upto, value === '' ? null : Number(value));
      return decodeCount(value, id, k.journal, 'the number trimmed') ?? 0;
    },

    async close() {
      if (closed) return;
      closed = true;
      if (owned) await client.quit();
    },
  };
  return store;
}
