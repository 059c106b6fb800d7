import { expect } from 'vitest';
import { Rng } from '@nasfleet/contracts';
import type { JournalEntry } from './journal-entry.ts';
import type { SearchStore } from './search-store.ts';
import { JournalRangeError } from './store-errors.ts';

/**
 * The property test of the conformance suite, with plain seeded loops: random sequences of appends,
 * snapshots, trims and reads on one search, each checked against a model of what the store must hold
 * (refusals included). A failure names its seed and step, so it replays exactly.
 */
export async function journalModelRuns(
  store: SearchStore,
  options: { runs: number; steps: number; leased: (id: string) => Promise<number> },
): Promise<void> {
  for (let run = 0; run < options.runs; run++) {
    const rng = Rng.fromSeed(run);
    const id = `model-${run}`;
    const token = await options.leased(id);
    const journal = new Map<number, JournalEntry>();
    let last = 0;
    let trimmed = 0;
    let snapshot: { snapshot: unknown; atSeq: number } | null = null;
    for (let step = 0; step < options.steps; step++) {
      const where = `seed ${run}, step ${step}`;
      const op = rng.pick(['append', 'append', 'snapshot', 'trim', 'read', 'read']);
      if (op === 'append') {
        const entries = Array.from({ length: rng.int(0, 4) }, () => randomEntry(rng));
        const seqs = await store.append(id, entries, token);
        expect(seqs, where).toEqual(entries.map((_, i) => last + 1 + i));
        entries.forEach((e, i) => journal.set(last + 1 + i, e));
        last += entries.length;
      } else if (op === 'snapshot') {
        const atSeq = rng.int(0, last + 1);
        const value = randomJson(rng, 3);
        const refused = atSeq > last || (snapshot !== null && atSeq < snapshot.atSeq);
        const result = store.saveSnapshot(id, value, atSeq, token);
        if (refused) {
          await expect(result, where).rejects.toThrow(JournalRangeError);
        } else {
          await result;
          snapshot = { snapshot: value, atSeq };
        }
      } else if (op === 'trim') {
        const upto = rng.int(0, (snapshot?.atSeq ?? 0) + 1);
        const result = store.trimJournal(id, upto, token);
        if (upto > (snapshot?.atSeq ?? 0)) {
          await expect(result, where).rejects.toThrow(JournalRangeError);
        } else {
          const gone = [...journal.keys()].filter((s) => s <= upto);
          expect(await result, where).toBe(gone.length);
          for (const s of gone) journal.delete(s);
          trimmed = Math.max(trimmed, upto);
        }
      } else {
        const after = rng.int(Math.max(0, trimmed - 1), last + 1);
        const limit = rng.chance(0.5) ? undefined : rng.int(1, 5);
        const result = store.readJournal(id, after, limit);
        if (after < trimmed) {
          await expect(result, where).rejects.toThrow(JournalRangeError);
        } else {
          const want = [...journal.entries()].filter(([s]) => s > after).slice(0, limit).map(([seq, entry]) => ({ seq, entry }));
          expect(await result, where).toEqual(want);
        }
      }
      expect(await store.loadSnapshot(id), where).toEqual(snapshot);
    }
  }
}

const strings = ['', 'a', 'é', '🙂', '"', '\\', '\n', '\u0000', 'x:y', '{nasfleet}'];

function randomString(rng: Rng): string {
  return Array.from({ length: rng.int(0, 3) }, () => rng.pick(strings)).join('');
}

/** A JSON value: nested objects and arrays of strings (odd characters included), numbers, booleans, null. */
function randomJson(rng: Rng, depth: number): unknown {
  const kind = rng.int(0, depth > 0 ? 6 : 4);
  if (kind === 0) return null;
  if (kind === 1) return rng.chance(0.5);
  if (kind === 2) return rng.chance(0.5) ? rng.int(-1e9, 1e9) : rng.uniform(-1e6, 1e6);
  if (kind <= 4) return randomString(rng);
  if (kind === 5) return Array.from({ length: rng.int(0, 3) }, () => randomJson(rng, depth - 1));
  return Object.fromEntries(Array.from({ length: rng.int(0, 3) }, () => [randomString(rng), randomJson(rng, depth - 1)]));
}

function randomEntry(rng: Rng): JournalEntry {
  const kind = rng.int(0, 2);
  if (kind === 0) {
    const n = rng.int(0, 3);
    return { op: 'ask', n, ids: Array.from({ length: n }, () => `c${rng.int(0, 999)}`) };
  }
  if (kind === 1) return { op: 'claim', id: randomString(rng), hash: randomString(rng) };
  return {
    op: 'tell',
    results: Array.from({ length: rng.int(0, 2) }, () => (rng.chance(0.5)
      ? { id: `c${rng.int(0, 999)}`, artifact: randomString(rng), outcome: { status: 'ok' as const, fitness: rng.uniform(0, 1) }, descriptors: [rng.int(0, 9)] }
      : { id: `c${rng.int(0, 999)}`, artifact: null, outcome: { status: 'failed' as const, failure: { class: 'shape' as const, message: randomString(rng) } } })),
  };
}
