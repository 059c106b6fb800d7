import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SearchStore } from './search-store.ts';
import {
  JournalRangeError, SearchEndedError, SearchExistsError, StaleFenceError, StoreClosedError, StoreInputError, UnknownSearchError,
} from './store-errors.ts';
import { ask, claim, tell, waitFor } from './store-fixtures.ts';
import { journalModelRuns } from './store-journal-model.ts';

/**
 * The one test suite every SearchStore implementation passes (run by memory-store.test.ts and
 * redis-store.test.ts). `makeStore` gives a store with no searches in it; the suite closes it after
 * each test. Lease expiry is tested with real short TTLs and polling (Redis expires leases by its own
 * clock), never by asserting how long something took.
 */
export function describeSearchStore(name: string, makeStore: () => SearchStore | Promise<SearchStore>): void {
  describe(`SearchStore conformance: ${name}`, () => {
    let store: SearchStore;
    beforeEach(async () => {
      store = await makeStore();
    });
    afterEach(async () => {
      await store.close();
    });

    const spec = { space: { name: 'nb201', options: { dataset: 'cifar10' } }, budget: 40, tags: [], empty: {}, note: 'é 🙂 "q" \\ \u0000', ratio: 0.125, on: true, none: null };
    const create = (id: string, idempotencyKey: string | null = null) => store.createSearch({ id, spec, idempotencyKey });
    const leased = async (id: string, owner = 'orchestrator-a'): Promise<number> => {
      await create(id);
      const lease = await store.acquireLease(id, owner, 60_000);
      if (!lease) throw new Error('no lease');
      return lease.token;
    };

    describe('searches', () => {
      it('creates a running search whose record and spec read back exactly', async () => {
        const { record, created } = await create('s1', 'key-1');
        expect(created).toBe(true);
        expect(record).toMatchObject({ id: 's1', spec, idempotencyKey: 'key-1', status: 'running', error: null });
        expect(record.updatedAt).toBe(record.createdAt);
        expect(await store.getSearch('s1')).toEqual(record);
        expect(await store.getSearch('nope')).toBeNull();
      });

      it('an idempotency key seen before returns the first search and creates nothing', async () => {
        const first = await create('s1', 'key-1');
        const again = await store.createSearch({ id: 's2', spec: { other: 1 }, idempotencyKey: 'key-1' });
        expect(again).toEqual({ record: first.record, created: false });
        expect(await store.getSearch('s2')).toBeNull();
        expect((await store.listSearches()).map((r) => r.id)).toEqual(['s1']);
      });

      it('the same id twice is SearchExistsError, with or without a new idempotency key', async () => {
        await create('s1', 'key-1');
        await expect(create('s1')).rejects.toThrow(SearchExistsError);
        await expect(create('s1', 'key-2')).rejects.toThrow(SearchExistsError);
        // The refused key was not recorded: it creates a search of its own later.
        expect((await create('s2', 'key-2')).created).toBe(true);
      });

      it('lists searches newest first', async () => {
        for (const id of ['a', 'c', 'b']) await create(id);
        expect((await store.listSearches()).map((r) => r.id)).toEqual(['b', 'c', 'a']);
      });

      it('refuses ids that could name another key, and specs that are not objects, writing nothing', async () => {
        for (const id of ['a:journal', '', '{x}', 'a b']) await expect(create(id)).rejects.toThrow(StoreInputError);
        await expect(store.createSearch({ id: 's', spec: [1] as never, idempotencyKey: null })).rejects.toThrow(StoreInputError);
        expect(await store.listSearches()).toEqual([]);
      });

      it('sets status and error under the fence; a wrong fence changes nothing', async () => {
        const token = await leased('s1');
        const failed = await store.setStatus('s1', 'failed', token, 'the space is unknown');
        expect(failed).toMatchObject({ status: 'failed', error: 'the space is unknown', spec });
        expect(await store.getSearch('s1')).toEqual(failed);
        await expect(store.setStatus('s1', 'done', token + 1)).rejects.toThrow(StaleFenceError);
        expect(await store.getSearch('s1')).toEqual(failed);
        expect(await store.setStatus('s1', 'running', token)).toMatchObject({ status: 'running', error: null });
        await expect(store.setStatus('s1', 'bogus' as never, token)).rejects.toThrow(StoreInputError);
        await expect(store.setStatus('nope', 'done', token)).rejects.toThrow(UnknownSearchError);
      });

      it('records a requested status without a lease, keeps it through status changes, and refuses it once the search ended', async () => {
        const token = await leased('s1');
        expect((await store.getSearch('s1'))?.requested).toBeNull();
        const paused = await store.requestStatus('s1', 'paused');
        expect(paused).toMatchObject({ status: 'running', requested: 'paused', spec });
        expect(await store.getSearch('s1')).toEqual(paused);
        expect(await store.setStatus('s1', 'paused', token)).toMatchObject({ status: 'paused', requested: 'paused' });
        expect(await store.requestStatus('s1', 'cancelled')).toMatchObject({ status: 'paused', requested: 'cancelled' });
        await store.setStatus('s1', 'cancelled', token);
        const ended = await store.getSearch('s1');
        await expect(store.requestStatus('s1', 'running')).rejects.toThrow(SearchEndedError);
        await expect(store.requestStatus('s1', 'running')).rejects.toThrow(/has ended \(cancelled\)/);
        expect(await store.getSearch('s1')).toEqual(ended);
        await expect(store.requestStatus('s1', 'done' as never)).rejects.toThrow(StoreInputError);
        await expect(store.requestStatus('nope', 'paused')).rejects.toThrow(UnknownSearchError);
      });
    });

    describe('candidate records', () => {
      it('keep each candidate\'s record under the fence, replace it on a second put, and read back exactly', async () => {
        const token = await leased('s1');
        const record = { request: { id: 'c1', parents: ['c0'] }, answer: '```js\nx\n```', worker: { id: 'w', pid: 7 }, note: 'é 🙂 \u0000' };
        expect(await store.getCandidate('s1', 'c1')).toBeNull();
        await store.putCandidate('s1', 'c1', record, token);
        expect(await store.getCandidate('s1', 'c1')).toEqual(record);
        await store.putCandidate('s1', 'c1', { ...record, told: true }, token);
        expect(await store.getCandidate('s1', 'c1')).toEqual({ ...record, told: true });
        await expect(store.putCandidate('s1', 'c2', record, token + 1)).rejects.toThrow(StaleFenceError);
        expect(await store.getCandidate('s1', 'c2')).toBeNull();
        await expect(store.putCandidate('s1', '', record, token)).rejects.toThrow(StoreInputError);
        await expect(store.putCandidate('s1', 'c3', () => 1, token)).rejects.toThrow(StoreInputError);
        await expect(store.getCandidate('nope', 'c1')).rejects.toThrow(UnknownSearchError);
        await create('s2');
        expect(await store.getCandidate('s2', 'c1')).toBeNull();
      });

      it('a commit puts records and appends entries together; a bad record, a bad entry or a stale fence writes none of it', async () => {
        const token = await leased('s1');
        const r1 = { told: 1, note: 'é 🙂' };
        const r2 = { told: 2 };
        expect(await store.commit('s1', { records: [['c1', r1], ['c2', r2]], entries: [tell(0), tell(1)] }, token)).toEqual([1, 2]);
        expect(await store.getCandidate('s1', 'c1')).toEqual(r1);
        expect(await store.getCandidate('s1', 'c2')).toEqual(r2);
        expect(await store.commit('s1', { records: [['c3', r1]], entries: [] }, token)).toEqual([]);
        expect(await store.getCandidate('s1', 'c3')).toEqual(r1);
        await expect(store.commit('s1', { records: [['c4', () => 1]], entries: [claim(2)] }, token)).rejects.toThrow(StoreInputError);
        await expect(store.commit('s1', { records: [['', r1]], entries: [claim(2)] }, token)).rejects.toThrow(StoreInputError);
        await expect(store.commit('s1', { records: [['c4', r1]], entries: [{ op: 'tell', results: [{ id: 'x' }] } as never] }, token)).rejects.toThrow(StoreInputError);
        await expect(store.commit('s1', { records: [['c4', r1]], entries: [claim(2)] }, token + 1)).rejects.toThrow(StaleFenceError);
        await expect(store.commit('nope', { entries: [claim(2)] }, token)).rejects.toThrow(UnknownSearchError);
        expect(await store.getCandidate('s1', 'c4')).toBeNull();
        expect(await store.commit('s1', { entries: [claim(5)] }, token)).toEqual([3]);
        expect((await store.readJournal('s1')).map((r) => r.entry)).toEqual([tell(0), tell(1), claim(5)]);
      });
    });

    describe('leases', () => {
      it('tokens strictly increase; another owner is refused while the lease is held', async () => {
        const a = await leased('s1', 'a');
        expect(await store.acquireLease('s1', 'b', 60_000)).toBeNull();
        const again = await store.acquireLease('s1', 'a', 60_000);
        expect(again!.token).toBeGreaterThan(a);
        // Re-acquiring deposed the old token.
        await expect(store.append('s1', [claim(1)], a)).rejects.toThrow(StaleFenceError);
        expect(await store.renewLease('s1', 'a', a, 60_000)).toBe('taken');
        expect(await store.releaseLease('s1', 'b', again!.token)).toBe(false);
        expect(await store.releaseLease('s1', 'a', a)).toBe(false);
        expect(await store.acquireLease('s1', 'b', 60_000)).toBeNull();
        expect(await store.releaseLease('s1', 'a', again!.token)).toBe(true);
        const b = await store.acquireLease('s1', 'b', 60_000);
        expect(b!.token).toBeGreaterThan(again!.token);
        await expect(store.append('s1', [claim(1)], again!.token)).rejects.toThrow(StaleFenceError);
        expect(await store.append('s1', [claim(1)], b!.token)).toEqual([1]);
      });

      it('renew works only for the holder and its token; others are told another lease holds it', async () => {
        const a = await leased('s1', 'a');
        expect(await store.renewLease('s1', 'a', a, 60_000)).toBe('renewed');
        expect(await store.renewLease('s1', 'b', a, 60_000)).toBe('taken');
        expect(await store.renewLease('s1', 'a', a + 1, 60_000)).toBe('taken');
        // Released: nothing holds the search, so a renewal finds it expired, not taken.
        expect(await store.releaseLease('s1', 'a', a)).toBe(true);
        expect(await store.renewLease('s1', 'a', a, 60_000)).toBe('expired');
        await expect(store.renewLease('nope', 'a', a, 60_000)).rejects.toThrow(UnknownSearchError);
      });

      it('after the lease expires another owner takes over with a higher token, and the old holder cannot write', async () => {
        const a = await leased('s1', 'a');
        expect(await store.append('s1', [ask(0, 2)], a)).toEqual([1]);
        // Renew sets the time to live: shortened to 300 ms, the lease runs out soon.
        expect(await store.renewLease('s1', 'a', a, 300)).toBe('renewed');
        const b = await waitFor(() => store.acquireLease('s1', 'b', 60_000));
        expect(b.token).toBeGreaterThan(a);
        expect(await store.renewLease('s1', 'a', a, 60_000)).toBe('taken');
        await expect(store.append('s1', [claim(9)], a)).rejects.toThrow(StaleFenceError);
        await expect(store.saveSnapshot('s1', {}, 1, a)).rejects.toThrow(StaleFenceError);
        expect(await store.append('s1', [claim(2)], b.token)).toEqual([2]);
        expect((await store.readJournal('s1')).map((r) => r.entry)).toEqual([ask(0, 2), claim(2)]);
      });

      it('an expired lease fences its holder out even when nobody took over', async () => {
        await create('s1');
        const a = await store.acquireLease('s1', 'a', 300);
        // Well past the TTL: the lease has expired, however slowly this machine runs.
        await new Promise((r) => setTimeout(r, 1_000));
        const error = await store.append('s1', [claim(1)], a!.token).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(StaleFenceError);
        expect(error).toMatchObject({ fence: a!.token, current: null });
        expect(await store.renewLease('s1', 'a', a!.token, 60_000)).toBe('expired');
        expect(await store.releaseLease('s1', 'a', a!.token)).toBe(false);
        expect(await store.readJournal('s1')).toEqual([]);
      });

      it('each search has its own lease; unknown searches and bad TTLs are refused', async () => {
        const a = await leased('s1', 'a');
        const b = await leased('s2', 'b');
        expect(await store.acquireLease('s2', 'a', 60_000)).toBeNull();
        expect(await store.renewLease('s1', 'a', a, 60_000)).toBe('renewed');
        expect(await store.renewLease('s2', 'b', b, 60_000)).toBe('renewed');
        await expect(store.acquireLease('nope', 'a', 1000)).rejects.toThrow(UnknownSearchError);
        await expect(store.acquireLease('s1', 'a', 0)).rejects.toThrow(StoreInputError);
      });
    });

    describe('journal', () => {
      it('appends get consecutive seqs and read back exactly, in order, from any point, with a limit', async () => {
        const token = await leased('s1');
        const entries = [ask(0, 3), tell(0), claim(1), tell(1)];
        expect(await store.append('s1', entries.slice(0, 2), token)).toEqual([1, 2]);
        expect(await store.append('s1', [], token)).toEqual([]);
        expect(await store.append('s1', entries.slice(2), token)).toEqual([3, 4]);
        expect(await store.readJournal('s1')).toEqual(entries.map((entry, i) => ({ seq: i + 1, entry })));
        expect((await store.readJournal('s1', 2)).map((r) => r.seq)).toEqual([3, 4]);
        expect((await store.readJournal('s1', 1, 2)).map((r) => r.seq)).toEqual([2, 3]);
        expect(await store.readJournal('s1', 4)).toEqual([]);
      });

      it('a batch is all-or-nothing: one bad entry or a stale fence writes none of it', async () => {
        const token = await leased('s1');
        await store.append('s1', [claim(1)], token);
        await expect(store.append('s1', [claim(2), { op: 'tell', results: [{ id: 'x' }] } as never], token)).rejects.toThrow(StoreInputError);
        await expect(store.append('s1', [claim(2), claim(3)], token + 1)).rejects.toThrow(StaleFenceError);
        expect(await store.append('s1', [claim(4)], token)).toEqual([2]);
        expect((await store.readJournal('s1')).map((r) => r.entry)).toEqual([claim(1), claim(4)]);
      });

      it('journals of two searches are independent', async () => {
        const t1 = await leased('s1');
        const t2 = await leased('s2');
        await store.append('s1', [claim(1), claim(2)], t1);
        expect(await store.append('s2', [claim(3)], t2)).toEqual([1]);
        expect((await store.readJournal('s2')).map((r) => r.entry)).toEqual([claim(3)]);
      });

      it('unknown searches are UnknownSearchError; bad positions are StoreInputError', async () => {
        await expect(store.readJournal('nope')).rejects.toThrow(UnknownSearchError);
        await expect(store.loadSnapshot('nope')).rejects.toThrow(UnknownSearchError);
        await expect(store.append('nope', [claim(1)], 1)).rejects.toThrow(UnknownSearchError);
        await create('s1');
        expect(await store.readJournal('s1')).toEqual([]);
        await expect(store.readJournal('s1', -1)).rejects.toThrow(StoreInputError);
        await expect(store.readJournal('s1', 0, 0)).rejects.toThrow(StoreInputError);
        await expect(store.append('s1', [claim(1)], 0)).rejects.toThrow(StoreInputError);
      });
    });

    describe('snapshots', () => {
      it('the latest snapshot reads back exactly; saving one never trims the journal', async () => {
        const token = await leased('s1');
        expect(await store.loadSnapshot('s1')).toBeNull();
        await store.append('s1', [ask(0, 2), tell(0), tell(1)], token);
        await store.saveSnapshot('s1', { format: 'x', n: [1, 2, { deep: 'é' }], empty: [] }, 2, token);
        await store.saveSnapshot('s1', { format: 'x', n: 3 }, 3, token);
        expect(await store.loadSnapshot('s1')).toEqual({ snapshot: { format: 'x', n: 3 }, atSeq: 3 });
        expect(await store.readJournal('s1')).toHaveLength(3);
      });

      it('refuses snapshots beyond the journal, older than the saved one, not JSON, or under a stale fence', async () => {
        const token = await leased('s1');
        await store.append('s1', [claim(1), claim(2)], token);
        await store.saveSnapshot('s1', 'at-1', 1, token);
        await expect(store.saveSnapshot('s1', 'x', 3, token)).rejects.toThrow(JournalRangeError);
        await expect(store.saveSnapshot('s1', 'x', 0, token)).rejects.toThrow(JournalRangeError);
        await expect(store.saveSnapshot('s1', undefined, 2, token)).rejects.toThrow(StoreInputError);
        await expect(store.saveSnapshot('s1', 'x', 2, token + 1)).rejects.toThrow(StaleFenceError);
        expect(await store.loadSnapshot('s1')).toEqual({ snapshot: 'at-1', atSeq: 1 });
      });

      it('trims only when asked, never past the snapshot, and a read into the trimmed part is refused', async () => {
        const token = await leased('s1');
        await store.append('s1', [claim(1), claim(2), claim(3)], token);
        await expect(store.trimJournal('s1', 1, token)).rejects.toThrow(JournalRangeError);
        await store.saveSnapshot('s1', 'at-2', 2, token);
        await expect(store.trimJournal('s1', 3, token)).rejects.toThrow(JournalRangeError);
        await expect(store.trimJournal('s1', 2, token + 1)).rejects.toThrow(StaleFenceError);
        expect(await store.readJournal('s1')).toHaveLength(3);
        expect(await store.trimJournal('s1', 2, token)).toBe(2);
        expect(await store.trimJournal('s1', 1, token)).toBe(0);
        await expect(store.readJournal('s1', 1)).rejects.toThrow(JournalRangeError);
        expect(await store.readJournal('s1', 2)).toEqual([{ seq: 3, entry: claim(3) }]);
        // Seqs are never reused after a trim.
        expect(await store.append('s1', [claim(4)], token)).toEqual([4]);
      });
    });

    it('random sequences of appends, snapshots, trims and reads read back exactly (seeded)', async () => {
      await journalModelRuns(store, { runs: 25, steps: 30, leased });
    });

    it('a closed store refuses every call', async () => {
      await create('s1');
      await store.close();
      await expect(store.getSearch('s1')).rejects.toThrow(StoreClosedError);
      await expect(store.readJournal('s1')).rejects.toThrow(StoreClosedError);
      await expect(create('s2')).rejects.toThrow(StoreClosedError);
    });
  });
}
