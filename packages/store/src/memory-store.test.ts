import { describe, expect, it } from 'vitest';
import { describeSearchStore } from './store-conformance.ts';
import { createMemoryStore } from './memory-store.ts';
import { StoreInputError } from './store-errors.ts';

describeSearchStore('memory', () => createMemoryStore());

describe('memory store only', () => {
  it('leases expire and timestamps come from the injected clock', async () => {
    let t = Date.UTC(2030, 0, 1);
    const store = createMemoryStore({ now: () => t });
    const { record } = await store.createSearch({ id: 's1', spec: {}, idempotencyKey: null });
    expect(record.createdAt).toBe('2030-01-01T00:00:00.000Z');
    const a = (await store.acquireLease('s1', 'a', 1_000))!.token;
    t += 999;
    expect(await store.acquireLease('s1', 'b', 1_000)).toBeNull();
    expect((await store.setStatus('s1', 'paused', a)).updatedAt).toBe('2030-01-01T00:00:00.999Z');
    t += 1;
    expect(await store.renewLease('s1', 'a', a, 1_000)).toBe('expired');
    expect((await store.acquireLease('s1', 'b', 1_000))!.token).toBeGreaterThan(a);
  });

  it('keeps copies: changing what was given or returned changes nothing stored', async () => {
    const store = createMemoryStore();
    const spec = { list: [1] };
    const { record } = await store.createSearch({ id: 's1', spec, idempotencyKey: null });
    spec.list.push(2);
    (record.spec.list as number[]).push(3);
    expect((await store.getSearch('s1'))!.spec).toEqual({ list: [1] });
  });

  it('a spec that is not JSON is StoreInputError', async () => {
    const store = createMemoryStore();
    await expect(store.createSearch({ id: 's1', spec: { n: 1n }, idempotencyKey: null })).rejects.toThrow(StoreInputError);
    expect(await store.listSearches()).toEqual([]);
  });
});
