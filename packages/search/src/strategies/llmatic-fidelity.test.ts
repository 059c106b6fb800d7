import { describe, expect, it } from 'vitest';
import type { CandidateRequest, CandidateResult } from '@nasfleet/contracts';
import { elites, restoreArchive } from '../archive/cvt-archive.ts';
import type { ArchiveSnapshot } from '../archive/cvt-archive.ts';
import { SearchEngine } from '../engine/search-engine.ts';
import { TOY_BOUNDS, TOY_CROSSOVER, TOY_INITIAL, TOY_PROMPTS, toyOperate } from '../testing/toy-space.ts';
import type { PromptPayload } from './prompt-archive.ts';

// Issue 10, "Fidelity to LLMatic": the previous generation's best, and the temperature of random prompts
// (the ablations' rules are in llmatic-ablations.test.ts).

const setup = { prompts: TOY_PROMPTS, crossoverPrompt: TOY_CROSSOVER, initialArtifact: TOY_INITIAL };
// Many children asked at once from the start: seeding fills every slot (the paper's cap on seeding in flight has its own tests, llmatic-seeding.test.ts).
function make(llmatic: Record<string, unknown> = {}) {
  return SearchEngine.create({ strategy: 'llmatic', seed: 1, generationSize: 20, networkArchive: { niches: 30, bounds: TOY_BOUNDS, seed: 3 }, llmatic: { seedingInFlight: 'fill', ...llmatic } }, setup);
}
type StrategyState = { prompts: ArchiveSnapshot<PromptPayload>; collective: number[] };
const stateOf = (e: SearchEngine) => e.snapshot().strategy as StrategyState;
const temperatureOf = (e: SearchEngine) => e.status().details.temperature!;
const collectiveSum = (e: SearchEngine) => stateOf(e).collective.reduce((a, b) => a + b, 0);
const promptIndexOf = (r: CandidateRequest) => TOY_PROMPTS.findIndex((p) => p.id === r.prompt!.id);

function ok(r: CandidateRequest, fitness: number, descriptors: number[]): CandidateResult {
  return { id: r.id, artifact: toyOperate(r), outcome: { status: 'ok', fitness }, descriptors };
}
function failed(r: CandidateRequest): CandidateResult {
  return { id: r.id, artifact: toyOperate(r), outcome: { status: 'failed', failure: { class: 'shape', message: 'does not fit' } } };
}

describe('llmatic: the previous generation\'s best is the best of generation g−1 only', () => {
  it('in generational mode (a generation asked, then told), judges generation g against g−1\'s best, not an older, better one', () => {
    const engine = make({ mutationProbability: 1 });
    const generation = (fitness: (i: number) => number) => {
      const asked = engine.ask(20);
      engine.tell(asked.map((r, i) => ok(r, fitness(i), [(i * 7) % 32, (i * 3) % 8])));
      return asked;
    };
    generation((i) => (i === 0 ? 100 : 5)); // generation 0's best: 100
    generation(() => 10); // generation 1's best: 10
    const before = temperatureOf(engine);
    const collective = collectiveSum(engine);
    const gen2 = engine.ask(20);
    const child = gen2.find((r) => r.operator === 'mutate')!;
    engine.tell([ok(child, 50, [16, 4])]); // 50 beats generation 1's 10, though not generation 0's 100
    expect(temperatureOf(engine)).toBeCloseTo(before + 0.05);
    expect(collectiveSum(engine)).toBe(collective + 1);
    const individual = elites(restoreArchive(stateOf(engine).prompts)).find((e) => e.id === child.id);
    expect(individual?.payload.temperature).toBeCloseTo(child.temperature + 0.05);
  });

  it('in steady state, the previous generation of a child is the last N results told when it was asked (a sliding generation)', () => {
    const engine = make({ mutationProbability: 1 });
    const one = (fitness: number, i: number) => {
      const [r] = engine.ask(1);
      engine.tell([ok(r!, fitness, [(i * 7) % 32, (i * 3) % 8])]);
      return r!;
    };
    one(100, 0); // index 0, generation 0 by index
    for (let i = 1; i < 25; i++) one(10, i); // indices 1–24: after index 20, the 100 has left the window of 20
    const before = temperatureOf(engine);
    const collective = collectiveSum(engine);
    // Index 25 is in generation 1 by index, whose predecessor (generation 0) holds the 100; the 20 results told
    // before it was asked (indices 5–24) have best 10, and 50 beats that.
    one(50, 25);
    expect(temperatureOf(engine)).toBeCloseTo(before + 0.05);
    expect(collectiveSum(engine)).toBe(collective + 1);
  });

  it('takes the reference when the child is asked: results told while it is in flight do not move it, and it survives a restore', () => {
    let engine = make({ mutationProbability: 1 });
    const first = engine.ask(1);
    engine.tell([ok(first[0]!, 10, [0, 0])]);
    const [a, b] = engine.ask(2); // both asked with the window's best at 10
    engine.tell([ok(b!, 200, [8, 2])]); // b beats 10: +0.05
    engine = SearchEngine.restore(JSON.parse(JSON.stringify(engine.snapshot())));
    const before = temperatureOf(engine);
    engine.tell([ok(a!, 50, [16, 4])]); // 50 ≥ 10 (its reference), though below 200 told since
    expect(temperatureOf(engine)).toBeCloseTo(before + 0.05);
    const [c] = engine.ask(1); // asked after the 200: its reference is 200
    const collective = collectiveSum(engine);
    engine.tell([ok(c!, 60, [24, 6])]);
    expect(temperatureOf(engine)).toBeCloseTo(before);
    expect(collectiveSum(engine)).toBe(collective);
  });

  it('restores a snapshot from before the reference (generationBest, no reference in flight): the child is judged against the window before its tell', () => {
    const engine = make({ mutationProbability: 1 });
    engine.tell([ok(engine.ask(1)[0]!, 10, [0, 0])]);
    const [a] = engine.ask(1);
    const old = JSON.parse(JSON.stringify(engine.snapshot()));
    const strategy = old.strategy as { pending: Record<string, Record<string, unknown>>; generationBest?: Record<string, number> };
    for (const p of Object.values(strategy.pending)) {
      delete p.reference;
      delete p.member;
    }
    strategy.generationBest = { 0: 10 };
    const restored = SearchEngine.restore(old);
    const before = temperatureOf(restored);
    restored.tell([ok(a!, 5, [16, 4])]); // 5 < 10, the best of the window before its tell
    expect(temperatureOf(restored)).toBeCloseTo(before - 0.05);
    expect(JSON.stringify(restored.snapshot().strategy)).not.toContain('generationBest');
  });
});

describe('llmatic: a mutation with a random prompt uses that prompt\'s own temperature', () => {
  it('takes the temperature of the prompt\'s most curious individual, else the strategy\'s default temperature', () => {
    // Every mutation draws a random prompt, none is jittered, none is a crossover; evolution starts at 2 networks.
    const engine = make({ randomPromptShare: 1, jitterShare: 0, mutationProbability: 1, seedNetworks: 2, seedingBudget: 1000 });
    const [initial] = engine.ask(1);
    engine.tell([ok(initial!, 50, [0, 0])]); // the previous generation's best for every child asked next: 50
    const asked = engine.ask(39); // 39 seeding children at the initial temperature 0.6
    // The seeding children, grouped by prompt: one prompt with two children (b), two more (a, c), and the rest (d).
    const byPrompt = new Map<number, CandidateRequest[]>();
    for (const r of asked) byPrompt.set(promptIndexOf(r), [...(byPrompt.get(promptIndexOf(r)) ?? []), r]);
    expect(byPrompt.size).toBe(TOY_PROMPTS.length);
    const b = [...byPrompt.keys()].find((p) => byPrompt.get(p)!.length >= 2)!;
    const [a, c, d] = [...byPrompt.keys()].filter((p) => p !== b) as [number, number, number];
    const first = (p: number, i = 0) => byPrompt.get(p)![i]!;
    engine.tell([
      ok(first(a), 60, [16, 4]), // ≥ 50: temperature 0.65; a new niche: curiosity +1
      ok(first(b, 0), 55, [16, 4]), // ≥ 50: 0.65; rejected by a's network (60): curiosity −0.5
      ok(first(b, 1), 40, [31, 7]), // < 50: 0.55; a new niche: curiosity +1
      failed(first(c)), // a failure: 0.55, curiosity −1
    ]);
    // Preconditions, read from the prompt archive: prompt b holds two individuals, the more curious one at 0.55.
    const individuals = elites(restoreArchive(stateOf(engine).prompts));
    const of = (p: number) => individuals.filter((e) => e.payload.promptIndex === p).map((e) => [e.payload.temperature, e.payload.curiosity]);
    expect(of(a)).toEqual([[expect.closeTo(0.65), 1]]);
    expect(of(b).sort((x, y) => x[0]! - y[0]!)).toEqual([[expect.closeTo(0.55), 1], [expect.closeTo(0.65), -0.5]]);
    expect(of(c)).toEqual([[expect.closeTo(0.55), -1]]);
    expect(of(d)).toEqual([]);
    const fallback = temperatureOf(engine); // the strategy's own temperature: 0.6 + 0.05 + 0.05 − 0.05 − 0.05
    expect(fallback).toBeCloseTo(0.6);

    const mutations = engine.ask(60);
    expect(mutations.every((r) => r.operator === 'mutate')).toBe(true);
    const temperatures = (p: number) => [...new Set(mutations.filter((r) => promptIndexOf(r) === p).map((r) => Math.round(r.temperature * 1000) / 1000))];
    expect(temperatures(a)).toEqual([0.65]);
    expect(temperatures(b)).toEqual([0.55]); // the more curious of b's two individuals, not the fitter or the other one
    expect(temperatures(c)).toEqual([0.55]);
    expect(temperatures(d)).toEqual([Math.round(fallback * 1000) / 1000]); // no individual yet: the default
  });
});
