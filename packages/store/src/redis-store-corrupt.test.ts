import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { startRedis } from '@nasfleet/fleet-testing';
import type { TestRedis } from '@nasfleet/fleet-testing';
import { createRedisStore } from './redis-store.ts';
import type { SearchStore } from './search-store.ts';
import { claim } from './store-fixtures.ts';
import { StoreCorruptError } from './store-errors.ts';

/** Data in Redis that the store did not write: every read and write that meets it is StoreCorruptError naming search and key. */
describe('Redis store: corrupt data', () => {
  let redis: TestRedis;
  let raw: Redis;
  let store: SearchStore;
  let token: number;
  const key = (part = ''): string => `{nasfleet}:search:s1${part}`;
  const corrupt = async (p: Promise<unknown>, searchId: string, at: string, detail: RegExp): Promise<void> => {
    const error = await p.then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(StoreCorruptError);
    expect(error).toMatchObject({ searchId, key: at });
    expect((error as Error).message).toContain(at);
    expect((error as StoreCorruptError).detail).toMatch(detail);
  };

  beforeAll(async () => {
    redis = await startRedis();
    raw = new Redis(redis.url);
  });
  afterAll(async () => {
    raw.disconnect();
    await redis.close();
  });
  beforeEach(async () => {
    await raw.flushall();
    store = createRedisStore({ redis: redis.url });
    await store.createSearch({ id: 's1', spec: { a: 1 }, idempotencyKey: 'k1' });
    token = (await store.acquireLease('s1', 'a', 60_000))!.token;
    await store.append('s1', [claim(1)], token);
  });
  afterEach(async () => {
    await store.close();
  });

  it('a record field that is not JSON, or a record that fails its schema', async () => {
    await raw.hset(key(), 'spec', '{"a":');
    await corrupt(store.getSearch('s1'), 's1', key(), /field spec is not JSON/);
    await corrupt(store.listSearches(), 's1', key(), /field spec is not JSON/);
    await corrupt(store.createSearch({ id: 's2', spec: {}, idempotencyKey: 'k1' }), 's1', key(), /spec/);
    await raw.hset(key(), 'spec', '{"a":1}', 'status', '"lost"');
    await corrupt(store.getSearch('s1'), 's1', key(), /status/);
    await raw.hdel(key(), 'status');
    await corrupt(store.getSearch('s1'), 's1', key(), /field status is missing/);
  });

  it('a key of the wrong type', async () => {
    await raw.del(key());
    await raw.set(key(), 'x');
    await corrupt(store.getSearch('s1'), 's1', key(), /WRONGTYPE/);
    await raw.del(key(':journal'));
    await raw.set(key(':journal'), 'x');
    await corrupt(store.readJournal('s1'), 's1', key(':journal'), /WRONGTYPE/);
  });

  it('journal entries that are not JSON or not journal entries, and a seq counter behind the journal', async () => {
    await raw.xadd(key(':journal'), '2-0', 'e', '{"op":');
    await raw.xadd(key(':journal'), '3-0', 'e', '{"op":"nope"}');
    await corrupt(store.readJournal('s1'), 's1', key(':journal'), /entry 2 is not JSON/);
    await corrupt(store.readJournal('s1', 2), 's1', key(':journal'), /entry 3 is not a journal entry/);
    // The meta still says seq 1: appending would write seq 2 again; refused before anything is written.
    await corrupt(store.append('s1', [claim(2)], token), 's1', key(':journal:meta'), /behind the journal/);
    expect(await raw.xlen(key(':journal'))).toBe(3);
  });

  it('journal and snapshot counters that are not numbers', async () => {
    await raw.hset(key(':journal:meta'), 'last', 'many');
    await corrupt(store.append('s1', [claim(2)], token), 's1', key(':journal:meta'), /last is not a whole number/);
    await corrupt(store.saveSnapshot('s1', {}, 1, token), 's1', key(':journal:meta'), /last is not a whole number/);
    await raw.hset(key(':journal:meta'), 'last', '1', 'trimmed', '-1');
    await corrupt(store.readJournal('s1'), 's1', key(':journal:meta'), /trimmed is not a whole number/);
    await raw.hset(key(':snapshot'), 'atSeq', 'one', 'data', '{}');
    await corrupt(store.loadSnapshot('s1'), 's1', key(':snapshot'), /atSeq is not a whole number/);
    await corrupt(store.trimJournal('s1', 1, token), 's1', key(':snapshot'), /atSeq is not a whole number/);
  });

  it('a snapshot that is not JSON or lacks a part', async () => {
    await raw.hset(key(':snapshot'), 'atSeq', '1', 'data', 'not json');
    await corrupt(store.loadSnapshot('s1'), 's1', key(':snapshot'), /the snapshot is not JSON/);
    await raw.hdel(key(':snapshot'), 'data');
    await corrupt(store.loadSnapshot('s1'), 's1', key(':snapshot'), /lacks its data/);
  });

  it('a lease that is not <token>:<owner>', async () => {
    await raw.set(key(':lease'), 'garbage', 'PX', 60_000);
    await corrupt(store.acquireLease('s1', 'b', 1000), 's1', key(':lease'), /not <token>:<owner>/);
    await corrupt(store.append('s1', [claim(2)], token), 's1', key(':lease'), /not <token>:<owner>/);
  });

  it('an idempotency key that names a search with no record', async () => {
    await raw.hset('{nasfleet}:idempotency', 'k2', 'ghost');
    await corrupt(store.createSearch({ id: 's2', spec: {}, idempotencyKey: 'k2' }), 'ghost', '{nasfleet}:idempotency', /no record/);
    await raw.zadd('{nasfleet}:searches', 99, 'ghost');
    await corrupt(store.listSearches(), 'ghost', key().replace('s1', 'ghost'), /listed .* but has no record/);
  });
});
