import { describe, expect, it } from 'vitest';
import { CandidateRequest } from '@nasfleet/contracts';
import { TOY_BOUNDS, TOY_CROSSOVER, TOY_INITIAL, TOY_PROMPTS, runToy, toyEvaluate, toyOperate } from '../testing/toy-space.ts';
import { SnapshotError } from './engine-snapshot.ts';
import { SearchEngine } from './search-engine.ts';
import { TellRejectedError } from './tell-receipt.ts';
import type { StrategyName } from './search-config.ts';

const setup = { prompts: TOY_PROMPTS, crossoverPrompt: TOY_CROSSOVER, initialArtifact: TOY_INITIAL };
// Many children asked at once from the start: seeding fills every slot (the paper's cap on seeding in flight has its own tests, llmatic-seeding.test.ts).
const make = (strategy: StrategyName, seed = 1, extra: Record<string, unknown> = {}) =>
  SearchEngine.create({ strategy, seed, generationSize: 20, networkArchive: { niches: 30, bounds: TOY_BOUNDS, seed: 3 }, llmatic: { seedingInFlight: 'fill' }, ...extra }, setup);
const strategies: StrategyName[] = ['llmatic', 'hybrid', 'feedback-memory', 'random', 'regularized-evolution'];

describe('SearchEngine', () => {
  it.each(strategies)('%s: the same seed and results give the same search, byte for byte', (strategy) => {
    const a = make(strategy, 5);
    const b = make(strategy, 5);
    runToy(a, 150);
    runToy(b, 150);
    expect(JSON.stringify(a.snapshot())).toEqual(JSON.stringify(b.snapshot()));
    const c = make(strategy, 6);
    runToy(c, 150);
    expect(JSON.stringify(c.snapshot())).not.toEqual(JSON.stringify(a.snapshot()));
  });

  it.each(strategies)('%s: a snapshot restored after a JSON round trip continues exactly as the original', (strategy) => {
    const straight = make(strategy, 9);
    runToy(straight, 200, 7);
    const first = make(strategy, 9);
    runToy(first, 98, 7);
    const resumed = SearchEngine.restore(JSON.parse(JSON.stringify(first.snapshot())));
    runToy(resumed, 102, 7);
    expect(JSON.stringify(resumed.snapshot())).toEqual(JSON.stringify(straight.snapshot()));
  });

  it.each(strategies)('%s: requests parse as the queue contract and the search improves on its start', (strategy) => {
    const engine = make(strategy, 2);
    const asked = runToy(engine, 300);
    for (const r of asked) expect(() => CandidateRequest.parse(JSON.parse(JSON.stringify(r)))).not.toThrow();
    const status = engine.status();
    expect(status.told).toBe(300);
    expect(status.inFlight).toBe(0);
    expect(status.best).toBeGreaterThan(40); // the initial network scores 0; three 3s score > 30
  });

  it('accepts results in any order, many asks ahead, and ignores repeated or unknown tells', () => {
    const engine = make('llmatic', 4);
    const requests = engine.ask(40);
    const results = requests.map((r) => toyEvaluate(r.id, toyOperate(r))).reverse();
    const receipts = engine.tell(results.slice(0, 25));
    expect(receipts.every((r) => r.status === 'applied')).toBe(true);
    expect(engine.progress()).toEqual({ asked: 40, told: 25 });
    const before = JSON.stringify(engine.snapshot());
    expect(engine.tell(results.slice(0, 25)).map((r) => r.status)).toEqual(Array(25).fill('already-told'));
    expect(engine.tell([{ ...results[0]!, id: 'c999999' }])[0]!.status).toBe('unknown');
    expect(JSON.stringify(engine.snapshot())).toEqual(before);
    expect(engine.progress()).toEqual({ asked: 40, told: 25 });
    engine.tell(results.slice(25));
    expect(engine.status()).toMatchObject({ asked: 40, told: 40, inFlight: 0 });
    expect(engine.progress()).toEqual({ asked: 40, told: 40 });
  });

  it('rejects a malformed batch whole, with a message naming the field, and applies nothing', () => {
    const engine = make('llmatic', 4);
    const [a, b] = engine.ask(2);
    const good = toyEvaluate(a!.id, toyOperate(a!));
    const before = JSON.stringify(engine.snapshot());
    expect(() => engine.tell([good, { id: b!.id, artifact: 'x', outcome: { status: 'ok', fitness: 'high' } }])).toThrow(TellRejectedError);
    expect(() => engine.tell([good, { id: b!.id, artifact: 'x', outcome: { status: 'ok', fitness: 'high' } }])).toThrow(/outcome.fitness/);
    expect(() => engine.tell([{ id: b!.id, artifact: 'x', outcome: { status: 'ok', fitness: 1 } }])).toThrow(/needs 2 descriptors/);
    // A success is handed out later (parent, reference): it must come with its code. A failure need not.
    expect(() => engine.tell([good, { id: b!.id, artifact: null, outcome: { status: 'ok', fitness: 1 }, descriptors: [1, 1] }])).toThrow(/result 1 \(c000001\): a successful result needs its artifact/);
    expect(JSON.stringify(engine.snapshot())).toEqual(before);
  });

  it('takes a seed\'s success without its artifact (the engine knows the initial network) and failures without code', () => {
    const engine = make('llmatic', 4);
    const [seed, child] = engine.ask(2);
    const receipts = engine.tell([
      { id: seed!.id, artifact: null, outcome: { status: 'ok', fitness: 3 }, descriptors: [1, 1] },
      { id: child!.id, artifact: null, outcome: { status: 'failed', failure: { class: 'extraction', message: 'no code' } } },
    ]);
    expect(receipts.map((r) => r.status)).toEqual(['applied', 'applied']);
    expect(engine.candidate(seed!.id)!.artifact).toBe(TOY_INITIAL);
    expect(engine.candidate(child!.id)!.artifact).toBeNull();
  });

  it('gives a clear error for invalid configs and missing setup', () => {
    expect(() => make('llmatic', 1, { generationSize: 0 })).toThrow(/generationSize/);
    expect(() => SearchEngine.create({ strategy: 'nope' as StrategyName, networkArchive: { bounds: TOY_BOUNDS } }, setup)).toThrow(/strategy/);
    expect(() => SearchEngine.create({ strategy: 'llmatic', networkArchive: { bounds: TOY_BOUNDS } }, { ...setup, initialArtifact: null })).toThrow(/initial network/);
    expect(() => make('regularized-evolution', 1, { regularizedEvolution: { population: 5, tournament: 10 } })).toThrow(/tournament/);
  });

  it('records the prompt set\'s hash with the search, through a snapshot, and refuses one that is not a sha256', () => {
    const hash = 'ab'.repeat(32);
    const engine = SearchEngine.create({ strategy: 'llmatic', networkArchive: { bounds: TOY_BOUNDS } }, { ...setup, promptSetHash: hash });
    expect(engine.promptSetHash).toBe(hash);
    expect(SearchEngine.restore(JSON.parse(JSON.stringify(engine.snapshot()))).promptSetHash).toBe(hash);
    expect(make('llmatic').promptSetHash).toBeNull();
    expect(() => SearchEngine.create({ strategy: 'llmatic', networkArchive: { bounds: TOY_BOUNDS } }, { ...setup, promptSetHash: 'abc' })).toThrow(/promptSetHash[\s\S]*a sha256 in hex/);
  });

  it('keeps provenance: parents, prompt, temperature, artifact and result of every candidate', () => {
    const engine = make('llmatic', 3);
    runToy(engine, 60);
    const records = engine.candidates();
    expect(records).toHaveLength(60);
    const child = records.find((r) => r.operator === 'mutate' && r.parentIds.length === 1)!;
    expect(child.prompt).not.toBeNull();
    expect(child.artifact).toMatch(/^[0-4]{8}$/);
    expect(child.result?.outcome.status).toBe('ok');
    expect(engine.candidate(child.parentIds[0]!)).toBeDefined();
    expect(engine.best()?.result?.outcome).toMatchObject({ status: 'ok', fitness: engine.status().best });
  });
});

describe('SearchEngine.restore on damaged snapshots', () => {
  const good = () => {
    const engine = make('hybrid', 3);
    runToy(engine, 80);
    engine.ask(3); // some in flight
    return JSON.parse(JSON.stringify(engine.snapshot()));
  };

  it('restores an intact snapshot with candidates in flight, which can still be told', () => {
    const snapshot = good();
    const engine = SearchEngine.restore(snapshot);
    expect(engine.status()).toMatchObject({ asked: 83, told: 80, inFlight: 3 });
    const pending = engine.candidates().filter((c) => c.result === null);
    expect(engine.tell(pending.map((c) => ({ id: c.id, artifact: '01234012', outcome: { status: 'ok', fitness: 1 }, descriptors: [1, 1] }))).every((r) => r.status === 'applied')).toBe(true);
  });

  const cases: [string, (s: ReturnType<typeof good>) => void, RegExp][] = [
    ['unknown format', (s) => (s.format = 'nasfleet.engine/v0'), /snapshot: format/],
    ['damaged rng state', (s) => (s.rng = [1, 2]), /snapshot: rng/],
    ['invalid config', (s) => (s.config.generationSize = -1), /config: generationSize/],
    ['a told candidate without its result', (s) => (s.log.records[5].result = null), /log: c000005 is listed as told but has no result/],
    ['a result missing from the tell order', (s) => s.log.told.pop(), /has a result but is not in the tell order/],
    ['a candidate count that disagrees with nextIndex', (s) => (s.nextIndex += 1), /nextIndex/],
    ['a malformed outcome', (s) => (s.log.records[7].result.outcome = { status: 'great' }), /log: records\.7\.result\.outcome/],
    ['a damaged archive', (s) => s.strategy.network.cells.pop(), /strategy: .*cells/],
    ['a damaged lineage memory', (s) => (s.strategy.lineage.byParent = { c000001: [{ at: 'x' }] }), /strategy: lineage/],
  ];
  it.each(cases)('%s is refused with a message naming the part', (_name, damage, message) => {
    const snapshot = good();
    damage(snapshot);
    expect(() => SearchEngine.restore(snapshot)).toThrow(SnapshotError);
    expect(() => SearchEngine.restore(snapshot)).toThrow(message);
  });
});
