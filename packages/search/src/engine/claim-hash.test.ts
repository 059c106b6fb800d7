import { describe, expect, it } from 'vitest';
import type { CandidateResult } from '@nasfleet/contracts';
import { TOY_BOUNDS, TOY_CROSSOVER, TOY_INITIAL, TOY_PROMPTS, runToy, toyEvaluate, toyOperate } from '../testing/toy-space.ts';
import { SnapshotError } from './engine-snapshot.ts';
import { SearchEngine } from './search-engine.ts';

/** De-duplication by canonical hash: the index lives in the engine's log, so it survives restarts. */

const setup = { prompts: TOY_PROMPTS, crossoverPrompt: TOY_CROSSOVER, initialArtifact: TOY_INITIAL };
// Many children asked at once from the start: seeding fills every slot (the paper's cap on seeding in flight has its own tests, llmatic-seeding.test.ts).
const make = (strategy = 'random', seed = 1) =>
  SearchEngine.create({ strategy, seed, generationSize: 20, networkArchive: { niches: 30, bounds: TOY_BOUNDS, seed: 3 }, llmatic: { seedingInFlight: 'fill' } }, setup);
const roundTrip = (engine: SearchEngine) => SearchEngine.restore(JSON.parse(JSON.stringify(engine.snapshot())));
const ok = (id: string, fitness: number, canonicalHash?: string): CandidateResult => ({
  id, artifact: '01234012', outcome: { status: 'ok', fitness }, descriptors: [1, 1], ...(canonicalHash === undefined ? {} : { canonicalHash }),
});

/**
 * A driver in the way the fleet's is meant to be: operate, claim the architecture's hash (the toy's
 * canonical form is its string), then copy the owner's result (told, or computed earlier in this
 * batch while still in flight) or evaluate. Returns how many were duplicates.
 */
function runWithClaims(engine: SearchEngine, evaluations: number, batch: number): number {
  let duplicates = 0;
  for (let done = 0; done < evaluations; done += batch) {
    const inFlight = new Map<string, CandidateResult>();
    for (const request of engine.ask(Math.min(batch, evaluations - done))) {
      const artifact = toyOperate(request);
      const { duplicateOf } = engine.claimHash(request.id, artifact);
      const owner = duplicateOf === null ? null : (engine.candidate(duplicateOf)!.result ?? inFlight.get(duplicateOf)!);
      if (owner) duplicates += 1;
      inFlight.set(request.id, { ...(owner ?? toyEvaluate(request.id, artifact)), id: request.id, canonicalHash: artifact });
    }
    engine.tell([...inFlight.values()]);
  }
  return duplicates;
}

describe('SearchEngine.claimHash', () => {
  it('answers the owner of a hash claimed earlier, even while the owner is in flight, and records nothing new', () => {
    const engine = make();
    const [a, b, c] = engine.ask(3);
    expect(engine.claimHash(a!.id, 'h')).toEqual({ duplicateOf: null });
    const before = JSON.stringify(engine.snapshot());
    expect(engine.claimHash(b!.id, 'h')).toEqual({ duplicateOf: a!.id });
    expect(JSON.stringify(engine.snapshot())).toEqual(before);
    expect(engine.candidate(a!.id)!.hash).toBe('h');
    expect(engine.candidate(b!.id)!.hash).toBeNull();
    expect(engine.claimHash(c!.id, 'other')).toEqual({ duplicateOf: null });
    expect(engine.status().distinct).toBe(2);
  });

  it('is idempotent: a repeated claim gives the same answer and changes nothing', () => {
    const engine = make();
    const [a, b] = engine.ask(2);
    engine.claimHash(a!.id, 'h');
    engine.claimHash(b!.id, 'h');
    const before = JSON.stringify(engine.snapshot());
    expect(engine.claimHash(a!.id, 'h')).toEqual({ duplicateOf: null });
    expect(engine.claimHash(b!.id, 'h')).toEqual({ duplicateOf: a!.id });
    expect(JSON.stringify(engine.snapshot())).toEqual(before);
  });

  it('throws on an id never asked, a malformed hash, or a second hash for one candidate', () => {
    const engine = make();
    const [a] = engine.ask(1);
    expect(() => engine.claimHash('c999999', 'h')).toThrow('claimHash: unknown candidate "c999999" (it was never asked)');
    expect(() => engine.claimHash(a!.id, '')).toThrow(/the hash must be a string of 1–200 characters/);
    expect(() => engine.claimHash(a!.id, 'x'.repeat(201))).toThrow(/1–200 characters/);
    engine.claimHash(a!.id, 'h');
    expect(() => engine.claimHash(a!.id, 'h2')).toThrow('claimHash(c000000): it already owns hash h, cannot claim h2 too');
    expect(engine.status().distinct).toBe(1);
  });

  it('registers a told canonicalHash nobody owns, so results told without a claim still de-duplicate later ones', () => {
    const engine = make();
    const [a, b, c, d] = engine.ask(4);
    engine.tell([ok(a!.id, 3, 'x')]);
    expect(engine.candidate(a!.id)!.hash).toBe('x');
    expect(engine.claimHash(b!.id, 'x')).toEqual({ duplicateOf: a!.id });
    // A later result with an owned hash is a duplicate: the owner keeps it.
    engine.tell([ok(c!.id, 3, 'x')]);
    expect(engine.candidate(c!.id)!.hash).toBeNull();
    // A claimed hash is never replaced by the told one.
    engine.claimHash(d!.id, 'y');
    engine.tell([ok(d!.id, 3, 'z')]);
    expect(engine.candidate(d!.id)!.hash).toBe('y');
    expect(engine.status().distinct).toBe(2);
    // A result with no hash registers nothing.
    const [e] = engine.ask(1);
    engine.tell([ok(e!.id, 1)]);
    expect(engine.candidate(e!.id)!.hash).toBeNull();
  });

  it('keeps claims across snapshot and restore: a restored engine still reports the duplicate, in flight or told', () => {
    const engine = make();
    const [a, b] = engine.ask(2);
    engine.claimHash(a!.id, 'in-flight');
    engine.claimHash(b!.id, 'told');
    engine.tell([ok(b!.id, 2, 'told')]);
    const restored = roundTrip(engine);
    const [c, d, e] = restored.ask(3);
    expect(restored.claimHash(c!.id, 'in-flight')).toEqual({ duplicateOf: a!.id });
    expect(restored.claimHash(d!.id, 'told')).toEqual({ duplicateOf: b!.id });
    expect(restored.claimHash(e!.id, 'new')).toEqual({ duplicateOf: null });
    expect(restored.claimHash(a!.id, 'in-flight')).toEqual({ duplicateOf: null });
    expect(restored.status().distinct).toBe(3);
  });

  it.each(['llmatic', 'hybrid', 'feedback-memory', 'regularized-evolution'])(
    '%s: a search with claims continues byte for byte after a restore, and finds duplicates',
    (strategy) => {
      const straight = make(strategy, 4);
      const duplicates = runWithClaims(straight, 160, 5);
      expect(duplicates).toBeGreaterThan(0);
      const first = make(strategy, 4);
      runWithClaims(first, 80, 5);
      const resumed = roundTrip(first);
      runWithClaims(resumed, 80, 5);
      expect(JSON.stringify(resumed.snapshot())).toEqual(JSON.stringify(straight.snapshot()));
      expect(resumed.status().distinct).toBe(160 - duplicates);
    },
  );
});

describe('the hash index in snapshots', () => {
  const withHashes = () => {
    const engine = make('llmatic', 2);
    runWithClaims(engine, 60, 4);
    return JSON.parse(JSON.stringify(engine.snapshot()));
  };

  it('refuses two owners of one hash', () => {
    const snapshot = withHashes();
    const [first, second] = snapshot.log.records.filter((r: { hash: string | null }) => r.hash !== null);
    second.hash = first.hash;
    expect(() => SearchEngine.restore(snapshot)).toThrow(SnapshotError);
    expect(() => SearchEngine.restore(snapshot)).toThrow(`log: hash ${first.hash} is owned by both ${first.id} and ${second.id}`);
  });

  it('refuses a told hash that nobody owns', () => {
    const snapshot = withHashes();
    const owner = snapshot.log.records.find((r: { hash: string | null }) => r.hash !== null);
    owner.hash = null;
    expect(() => SearchEngine.restore(snapshot)).toThrow(`log: ${owner.id} was told hash`);
  });

  it('restores a snapshot written before the index, rebuilding the owners from the told hashes', () => {
    const engine = make('llmatic', 3);
    runToy(engine, 60, 4, (r) => ({ ...r, canonicalHash: r.artifact ?? undefined }));
    engine.ask(2);
    const snapshot = JSON.parse(JSON.stringify(engine.snapshot()));
    const expected = JSON.stringify(snapshot);
    for (const r of snapshot.log.records) delete r.hash;
    const restored = SearchEngine.restore(snapshot);
    expect(JSON.stringify(restored.snapshot())).toEqual(expected);
    expect(restored.status().distinct).toBe(engine.status().distinct);
  });
});
