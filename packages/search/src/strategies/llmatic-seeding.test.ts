import { describe, expect, it } from 'vitest';
import type { CandidateRequest, CandidateResult } from '@nasfleet/contracts';
import { runAsync } from '../engine/run-async.ts';
import { SearchEngine } from '../engine/search-engine.ts';
import { TOY_BOUNDS, TOY_CROSSOVER, TOY_INITIAL, TOY_PROMPTS, toyEvaluate, toyOperate } from '../testing/toy-space.ts';
import { createRandomSearch } from './random-search.ts';
import { StrategyRegistry } from './strategy-registry.ts';

/**
 * LLMatic's seeding in flight (issue 10, fidelity). The paper makes seeding children one at a time and
 * adds each to the archives before the next (Algorithm 1, lines 4–6), until one archive holds 10: it
 * never makes more children of the initial network than the archives could still take. With many in
 * flight, `seedingInFlight: 'needed'` (the default) keeps that count: no more seeding children in flight
 * than the archives still need networks; the engine then hands out fewer than asked, and the free
 * slots wait for results. 'fill' (the behaviour before) gives every free slot a child of the initial network.
 */

const setup = { prompts: TOY_PROMPTS, crossoverPrompt: TOY_CROSSOVER, initialArtifact: TOY_INITIAL };
const make = (llmatic: Record<string, unknown> = {}, strategy: 'llmatic' | 'hybrid' = 'llmatic') =>
  SearchEngine.create({ strategy, seed: 7, generationSize: 100, networkArchive: { niches: 30, bounds: TOY_BOUNDS, seed: 3 }, llmatic }, setup);
type State = { network: { cells: unknown[] }; prompts: { cells: unknown[] }; pending: Record<string, { kind: string }>; seedsTold: number };
const stateOf = (e: SearchEngine) => e.snapshot().strategy as State;
const filled = (cells: unknown[]) => cells.filter((c) => c !== null).length;
/** Networks and prompt individuals the archives hold, and seeding children in flight. */
const counts = (e: SearchEngine) => {
  const s = stateOf(e);
  return { networks: filled(s.network.cells), prompts: filled(s.prompts.cells), seeding: Object.values(s.pending).filter((p) => p.kind === 'seed').length };
};
/** A success in its own corner of the descriptor space, so each enters the network archive. */
const spread = (r: CandidateRequest, i: number): CandidateResult => ({
  id: r.id, artifact: `code of ${r.id}`, outcome: { status: 'ok', fitness: i }, descriptors: [(i * 7.3) % 32, (i * 2.9) % 8], feedback: null,
});
const failed = (r: CandidateRequest): CandidateResult => ({
  id: r.id, artifact: null, outcome: { status: 'failed', failure: { class: 'syntax', message: 'no' } }, feedback: null,
});

describe('llmatic seeding in flight', () => {
  it("asks no more children of the initial network than the archives still need, and the rest once seeding is done ('needed', the default)", () => {
    const engine = make();
    expect(engine.config.llmatic.seedingInFlight).toBe('needed');
    const first = engine.ask(100);
    // The initial network, then seedNetworks (10) children of it with random prompts: nothing else can be made yet.
    expect(first).toHaveLength(11);
    expect(first[0]!.operator).toBe('seed');
    expect(first.slice(1).every((r) => r.operator === 'mutate' && r.parents[0]!.id === first[0]!.id)).toBe(true);
    expect(engine.ask(5)).toEqual([]);
    expect(engine.progress()).toEqual({ asked: 11, told: 0 });

    // Three told: the archives need fewer, and exactly as many new seeding children come out as they still need.
    engine.tell(first.slice(0, 3).map(spread));
    const c = counts(engine);
    expect(c.seeding).toBe(8);
    const wanted = 10 - Math.max(c.networks, c.prompts) - c.seeding;
    const more = engine.ask(100);
    expect(more).toHaveLength(Math.max(0, wanted));
    // Those already in flight stay (the initial network's own result may have taken one of their places).
    expect(counts(engine).seeding).toBe(Math.max(c.seeding, 10 - Math.max(c.networks, c.prompts)));

    // Every seeding child told: once an archive holds 10, evolution fills every slot.
    let inFlight = [...first.slice(3), ...more];
    let told = 3;
    for (let round = 0; ; round++) {
      expect(round).toBeLessThan(20);
      engine.tell(inFlight.map((r, i) => spread(r, told + i)));
      told += inFlight.length;
      const seeded = counts(engine).networks >= 10 || counts(engine).prompts >= 10;
      inFlight = engine.ask(100);
      if (seeded) break;
      expect(inFlight.length).toBeLessThanOrEqual(10);
      expect(inFlight.every((r) => r.parents[0]!.id === first[0]!.id)).toBe(true);
    }
    expect(inFlight).toHaveLength(100);
  });

  it("'fill' gives every free slot a child of the initial network, as before", () => {
    const engine = make({ seedingInFlight: 'fill' });
    const asked = engine.ask(100);
    expect(asked).toHaveLength(100);
    expect(asked.slice(1).every((r) => r.parents[0]!.id === asked[0]!.id)).toBe(true);
  });

  it('replaces seeding children that fail until the seeding budget, then evolves from the initial network', () => {
    const engine = make({ seedNetworks: 10, seedingBudget: 25 });
    let asked = engine.ask(100);
    expect(asked).toHaveLength(11);
    let rounds = 0;
    while (stateOf(engine).seedsTold < 25) {
      // Failures fill no archive: each told one frees a seeding place, never more than the budget has left.
      engine.tell(asked.map(failed));
      asked = engine.ask(100);
      expect(counts(engine).seeding).toBeLessThanOrEqual(Math.min(10, 25 - stateOf(engine).seedsTold));
      rounds += 1;
    }
    expect(rounds).toBeGreaterThan(1);
    // Seeding ended on its budget: every slot is filled (children of the initial network: nothing trained yet).
    engine.tell(asked.map(failed));
    expect(engine.ask(100)).toHaveLength(100);
  });

  it('samples as seeds are capped the same way, unless the config says fill (the hybrid default)', () => {
    expect(make({ seeding: 'sample' }).ask(50).map((r) => r.operator)).toEqual(['seed', ...Array(10).fill('sample')]);
    const hybrid = make({}, 'hybrid');
    expect(hybrid.config.llmatic).toMatchObject({ seeding: 'sample', seedingInFlight: 'fill' });
    expect(hybrid.ask(50)).toHaveLength(50);
  });

  it('restored while seeding children are in flight and slots wait, it goes on byte for byte', () => {
    const play = (restoreAt: number | null) => {
      let engine = make();
      let inFlight: CandidateRequest[] = [];
      for (let round = 0; round < 30; round++) {
        if (round === restoreAt) engine = SearchEngine.restore(JSON.parse(JSON.stringify(engine.snapshot())));
        inFlight.push(...engine.ask(20));
        // Two of those in flight come back each round, out of ask order.
        const back = inFlight.splice(round % 3, 2);
        engine.tell(back.map((r) => toyEvaluate(r.id, toyOperate(r))));
      }
      inFlight = [];
      return JSON.stringify(engine.snapshot());
    };
    expect(play(2)).toBe(play(null));
    expect(play(5)).toBe(play(null));
  });

  it('a snapshot made before the switch existed restores as it seeded then: every slot filled', () => {
    const engine = make({ seedingInFlight: 'fill' });
    engine.ask(3);
    const old = JSON.parse(JSON.stringify(engine.snapshot()));
    delete old.config.llmatic.seedingInFlight;
    const restored = SearchEngine.restore(old);
    expect(restored.config.llmatic.seedingInFlight).toBe('fill');
    expect(restored.ask(50)).toHaveLength(50);
  });

  it('the engine refuses a strategy that proposes nothing with nothing in flight: such a search could never go on', () => {
    const registry = new StrategyRegistry([{
      name: 'idle', description: 'proposes nothing', needsDescriptors: false,
      create: () => ({ ...createRandomSearch(), name: 'idle', propose: () => null }),
    }]);
    const engine = SearchEngine.create({ strategy: 'idle', networkArchive: { niches: 30, bounds: TOY_BOUNDS, seed: 3 } } as never, setup, registry);
    expect(() => engine.ask(1)).toThrow(/strategy idle proposed nothing with nothing in flight/);
    expect(engine.progress()).toEqual({ asked: 0, told: 0 });
  });

  it('runAsync: workers the engine gives nothing wait for results and then fill every slot; exactly the budget is told', async () => {
    const engine = make();
    let running = 0;
    let peak = 0;
    let startedBeforeFirstTell: number | null = null;
    let started = 0;
    await runAsync(engine, async (request) => {
      started += 1;
      running += 1;
      peak = Math.max(peak, running);
      await new Promise((r) => setTimeout(r, 1 + (request.index % 3)));
      startedBeforeFirstTell ??= started;
      running -= 1;
      return toyEvaluate(request.id, toyOperate(request));
    }, { evaluations: 150, concurrency: 20 });
    // The initial network and its 10 seeding children; the other 9 workers waited.
    expect(startedBeforeFirstTell).toBe(11);
    expect(peak).toBe(20);
    expect(engine.status()).toMatchObject({ asked: 150, told: 150, inFlight: 0 });
  });
});
