import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { startRedis } from '@nasfleet/fleet-testing';
import type { TestRedis } from '@nasfleet/fleet-testing';
import { createRedisStore } from './redis-store.ts';
import type { SearchStore } from './search-store.ts';
import { describeSearchStore } from './store-conformance.ts';
import { ask, claim, waitFor } from './store-fixtures.ts';
import { StaleFenceError, StoreInputError } from './store-errors.ts';

let redis: TestRedis;
let tests = 0;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await redis?.close();
});

// Each test of the suite gets its own hash tag, so its keys start empty on the one server.
describeSearchStore('redis', () => createRedisStore({ redis: redis.url, prefix: `{conformance-${++tests}}` }));

describe('Redis store only', () => {
  const opened: SearchStore[] = [];
  const open = (prefix?: string, url = redis.url): SearchStore => {
    const store = createRedisStore({ redis: url, ...(prefix === undefined ? {} : { prefix }) });
    opened.push(store);
    return store;
  };
  let raw: Redis;
  beforeAll(() => {
    raw = new Redis(redis.url);
  });
  // The conformance suite's keys stay on the server until here: every test starts from an empty one.
  beforeEach(async () => {
    await raw.flushall();
  });
  afterEach(async () => {
    for (const store of opened.splice(0)) await store.close();
  });
  afterAll(() => {
    raw.disconnect();
  });

  it('keeps every key under the {nasfleet} hash tag, in the documented layout', async () => {
    const store = open();
    await store.createSearch({ id: 's1', spec: {}, idempotencyKey: 'k' });
    const lease = await store.acquireLease('s1', 'a', 60_000);
    await store.append('s1', [claim(1), claim(2)], lease!.token);
    await store.saveSnapshot('s1', { x: 1 }, 2, lease!.token);
    expect((await raw.keys('*')).sort()).toEqual([
      '{nasfleet}:idempotency', '{nasfleet}:search:s1', '{nasfleet}:search:s1:fence', '{nasfleet}:search:s1:journal',
      '{nasfleet}:search:s1:journal:meta', '{nasfleet}:search:s1:lease', '{nasfleet}:search:s1:snapshot',
      '{nasfleet}:searches', '{nasfleet}:searches:order',
    ]);
    expect(await raw.type('{nasfleet}:search:s1:journal')).toBe('stream');
    expect(await raw.pttl('{nasfleet}:search:s1:lease')).toBeGreaterThan(0);
    expect(await raw.pttl('{nasfleet}:search:s1:fence')).toBe(-1);
  });

  it('refuses a prefix without a hash tag; stores under different tags do not see each other', async () => {
    expect(() => createRedisStore({ redis: raw, prefix: 'nasfleet' })).toThrow(StoreInputError);
    const one = open('{one}');
    const two = open('{two}');
    await one.createSearch({ id: 's1', spec: {}, idempotencyKey: 'k' });
    expect(await two.getSearch('s1')).toBeNull();
    expect((await two.createSearch({ id: 's2', spec: {}, idempotencyKey: 'k' })).created).toBe(true);
  });

  it('takes createdAt and updatedAt from the injected clock', async () => {
    const store = createRedisStore({ redis: raw, now: () => Date.UTC(2030, 0, 1) });
    const { record } = await store.createSearch({ id: 's1', spec: {}, idempotencyKey: null });
    expect([record.createdAt, record.updatedAt]).toEqual(['2030-01-01T00:00:00.000Z', '2030-01-01T00:00:00.000Z']);
  });

  it('close leaves a client it was given open', async () => {
    const store = createRedisStore({ redis: raw, prefix: '{given}' });
    await store.createSearch({ id: 's1', spec: {}, idempotencyKey: null });
    await store.close();
    expect(await raw.ping()).toBe('PONG');
  });

  it('a second orchestrator takes over after the first lease expires; the first is fenced out and the journal stays intact', async () => {
    const first = open();
    const second = open();
    await first.createSearch({ id: 's1', spec: {}, idempotencyKey: null });
    const a = (await first.acquireLease('s1', 'orchestrator-a', 60_000))!.token;
    await first.append('s1', [ask(0, 2), claim(0)], a);
    await first.saveSnapshot('s1', { at: 1 }, 1, a);
    expect(await second.acquireLease('s1', 'orchestrator-b', 60_000)).toBeNull();
    // The first orchestrator stops renewing (a pause, a partition): its lease runs out.
    expect(await first.renewLease('s1', 'orchestrator-a', a, 300)).toBe('renewed');
    const b = (await waitFor(() => second.acquireLease('s1', 'orchestrator-b', 60_000))).token;
    expect(b).toBeGreaterThan(a);

    await expect(first.append('s1', [claim(1)], a)).rejects.toThrow(StaleFenceError);
    await expect(first.saveSnapshot('s1', { at: 2 }, 2, a)).rejects.toThrow(StaleFenceError);
    await expect(first.trimJournal('s1', 1, a)).rejects.toThrow(StaleFenceError);
    await expect(first.setStatus('s1', 'failed', a, 'deposed')).rejects.toThrow(StaleFenceError);
    expect(await first.acquireLease('s1', 'orchestrator-a', 60_000)).toBeNull();

    expect(await second.append('s1', [claim(2)], b)).toEqual([3]);
    expect(await first.readJournal('s1')).toEqual([
      { seq: 1, entry: ask(0, 2) }, { seq: 2, entry: claim(0) }, { seq: 3, entry: claim(2) },
    ]);
    expect(await second.loadSnapshot('s1')).toEqual({ snapshot: { at: 1 }, atSeq: 1 });
    expect((await second.getSearch('s1'))!.status).toBe('running');
  });

  it('two clients appending with the same fence at once never get the same seq', async () => {
    const one = open();
    const two = open();
    await one.createSearch({ id: 's1', spec: {}, idempotencyKey: null });
    const token = (await one.acquireLease('s1', 'a', 60_000))!.token;
    const appendMany = (store: SearchStore, name: string) =>
      Promise.all(Array.from({ length: 40 }, (_, i) => {
        const batch = Array.from({ length: 1 + (i % 3) }, (_, j) => ({ op: 'claim' as const, id: `${name}-${i}-${j}`, hash: name }));
        return store.append('s1', batch, token).then((seqs) => seqs.map((seq, j) => ({ seq, entry: batch[j] })));
      }));
    const written = (await Promise.all([appendMany(one, 'one'), appendMany(two, 'two')])).flat(2);
    const seqs = written.map((w) => w.seq).sort((x, y) => x - y);
    expect(seqs).toEqual(Array.from({ length: written.length }, (_, i) => i + 1));
    const journal = await two.readJournal('s1');
    expect(journal).toEqual([...written].sort((x, y) => x.seq - y.seq));
  });
});
