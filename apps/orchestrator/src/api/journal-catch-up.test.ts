import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryStore } from '@nasfleet/store';
import type { JournalRecord, SearchStore } from '@nasfleet/store';
import { restoreState, runnerSnapshot } from '../runner-state.ts';
import { catchUp } from './journal-catch-up.ts';
import { writeSearch } from './testing/written-search.ts';
import type { WrittenSearch } from './testing/written-search.ts';

let store: SearchStore;
let w: WrittenSearch;

beforeAll(async () => {
  store = createMemoryStore();
  w = await writeSearch(store, 'cu', { space: { name: 'nb201', options: { dataset: 'cifar10' } }, config: { strategy: 'hybrid', seed: 5 }, evaluations: 50 }, 100);
}, 120_000);

afterAll(async () => {
  await w?.close();
});

const never = () => {
  throw new Error('a snapshot was saved');
};

describe('catchUp', () => {
  it('brings a restored state to where a full restore stands, entries applied in place', async () => {
    await w.tell(6);
    const state = await restoreState(store, 'cu', never);
    const kept = state.lastSeq;
    await w.tell(5, { broken: (i) => i === 8 });
    await w.askOnly();
    const records = await store.readJournal('cu', kept);
    expect(records.length).toBeGreaterThan(10);
    catchUp('cu', state, records);
    const full = await restoreState(store, 'cu', never);
    expect(state.lastSeq).toBe(full.lastSeq);
    expect(JSON.stringify(runnerSnapshot(state.engine, state.pending))).toBe(JSON.stringify(runnerSnapshot(full.engine, full.pending)));
  });

  it('throws on an ask that does not replay or an entry that is not after the state', async () => {
    const state = await restoreState(store, 'cu', never);
    const wrongIds: JournalRecord = { seq: state.lastSeq + 1, entry: { op: 'ask', n: 1, ids: ['c999999'] } };
    expect(() => catchUp('cu', state, [wrongIds])).toThrow(/replaying the ask at seq .* the journal has c999999/);
    const again = await restoreState(store, 'cu', never);
    expect(() => catchUp('cu', again, [{ seq: again.lastSeq, entry: { op: 'claim', id: 'c000000', hash: 'h' } }])).toThrow(/is not after/);
  });
});
