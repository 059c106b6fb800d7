import { afterEach, describe, expect, it } from 'vitest';
import { startRedis } from '@nasfleet/fleet-testing';
import type { TestRedis } from '@nasfleet/fleet-testing';
import { createRedisStore } from './redis-store.ts';
import { ask, claim, tell } from './store-fixtures.ts';

let redis: TestRedis | null = null;
afterEach(async () => {
  await redis?.close();
  redis = null;
});

describe('Redis store: durability', () => {
  it('a search survives a redis SIGKILL and restart with AOF: record, journal, snapshot, idempotency, lease and fencing counter', { timeout: 120_000 }, async () => {
    redis = await startRedis({ aof: true });
    const before = createRedisStore({ redis: redis.url });
    const { record } = await before.createSearch({ id: 's1', spec: { budget: 10 }, idempotencyKey: 'submit-1' });
    const first = (await before.acquireLease('s1', 'a', 60_000))!.token;
    const a = (await before.acquireLease('s1', 'a', 60_000))!.token;
    await before.append('s1', [ask(0, 2), tell(0), claim(1)], a);
    await before.saveSnapshot('s1', { engine: 'state', at: 2 }, 2, a);
    expect(await before.trimJournal('s1', 2, a)).toBe(2);
    const paused = await before.setStatus('s1', 'paused', a);
    // appendfsync everysec: give the last writes time to reach the file.
    await new Promise((r) => setTimeout(r, 2_000));
    await redis.kill();
    await redis.restart();

    const after = createRedisStore({ redis: redis.url });
    expect(await after.getSearch('s1')).toEqual(paused);
    expect(await after.createSearch({ id: 's9', spec: {}, idempotencyKey: 'submit-1' })).toEqual({ record: paused, created: false });
    expect(paused.createdAt).toBe(record.createdAt);
    expect(await after.loadSnapshot('s1')).toEqual({ snapshot: { engine: 'state', at: 2 }, atSeq: 2 });
    expect(await after.readJournal('s1', 2)).toEqual([{ seq: 3, entry: claim(1) }]);
    // The lease outlived the restart (its expiry is absolute), and seqs go on where they were.
    expect(await after.acquireLease('s1', 'b', 60_000)).toBeNull();
    expect(await after.append('s1', [claim(2)], a)).toEqual([4]);
    // The first store's client reconnects by itself and its scripts are loaded again.
    expect(await before.append('s1', [claim(3)], a)).toEqual([5]);
    expect(await after.releaseLease('s1', 'a', a)).toBe(true);
    const b = (await after.acquireLease('s1', 'b', 60_000))!.token;
    expect(b).toBeGreaterThan(a);
    expect(a).toBeGreaterThan(first);
    await before.close();
    await after.close();
  });
});
