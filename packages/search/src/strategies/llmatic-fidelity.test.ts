import { describe, expect, it } from 'vitest';
import type { CandidateRequest, CandidateResult } from '@nasfleet/contracts';
import { elites, restoreArchive } from '../archive/cvt-archive.ts';
import type { ArchiveSnapshot } from '../archive/cvt-archive.ts';
import { SearchEngine } from '../engine/search-engine.ts';
import { TOY_BOUNDS, TOY_CROSSOVER, TOY_INITIAL, TOY_PROMPTS, toyOperate } from '../testing/toy-space.ts';
import type { PromptPayload } from './prompt-archive.ts';

// Issue 10, "Fidelity to LLMatic": the previous generation's best, and the temperature of random prompts.

const setup = { prompts: TOY_PROMPTS, crossoverPrompt: TOY_CROSSOVER, initialArtifact: TOY_INITIAL };
function make(llmatic: Record<string, unknown> = {}) {
  return SearchEngine.create({ strategy: 'llmatic', seed: 1, generationSize: 20, networkArchive: { niches: 30, bounds: TOY_BOUNDS, seed: 3 }, llmatic }, setup);
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

describe('llmatic: the previous generation\'s best is generation g−1\'s, not the best of all earlier ones', () => {
  it('credits a child and raises the temperature when it beats g−1\'s best, even below an older generation\'s best', () => {
    const engine = make();
    // Nothing is told while asking, so all 60 are the initial network (index 0) and seeding children:
    // generation 0 = indices 0–19, generation 1 = 20–39, generation 2 = 40–59.
    const asked = engine.ask(60);
    expect(asked.slice(1).every((r) => r.operator === 'mutate' && r.prompt !== null)).toBe(true);
    engine.tell([ok(asked[0]!, 100, [0, 0])]); // generation 0's best: 100 (the initial network moves no temperature)
    expect(temperatureOf(engine)).toBeCloseTo(0.6);
    engine.tell([ok(asked[20]!, 10, [8, 2])]); // generation 1: 10 < 100, so −0.05
    expect(temperatureOf(engine)).toBeCloseTo(0.55);
    expect(collectiveSum(engine)).toBe(0);
    // Generation 2: 50 beats generation 1's best (10), though not generation 0's (100): +0.05 and +1 for its prompt.
    const child = asked[40]!;
    engine.tell([ok(child, 50, [16, 4])]);
    expect(temperatureOf(engine)).toBeCloseTo(0.6);
    expect(collectiveSum(engine)).toBe(1);
    expect(stateOf(engine).collective[promptIndexOf(child)]).toBe(1);
    // The child's prompt individual carries its own temperature plus the step.
    const individual = elites(restoreArchive(stateOf(engine).prompts)).find((e) => e.id === child.id);
    expect(individual?.payload.temperature).toBeCloseTo(child.temperature + 0.05);
  });

  it('in steady state, uses the most recent earlier generation with a told success while g−1 has none, and survives a restore', () => {
    let engine = make();
    const asked = engine.ask(80);
    const steps: number[] = [];
    const tell = (result: CandidateResult) => {
      engine.tell([result]);
      steps.push(Math.round(temperatureOf(engine) * 100) / 100);
    };
    tell(ok(asked[0]!, 50, [0, 0])); // generation 0's best: 50                        → 0.60
    tell(failed(asked[21]!)); // generation 1: a failure is no told success            → 0.55
    tell(ok(asked[40]!, 40, [8, 2])); // generation 2, g−1 has no success: judged against generation 0's 50 → 0.50
    tell(ok(asked[41]!, 60, [16, 4])); // 60 ≥ 50: +0.05, +1                           → 0.55
    expect(collectiveSum(engine)).toBe(1);
    tell(ok(asked[20]!, 10, [24, 6])); // generation 1 told late: 10 < generation 0's 50 → 0.50
    engine = SearchEngine.restore(JSON.parse(JSON.stringify(engine.snapshot())));
    // Generation 1 now has a told success (10): generation 2 is judged against it, not against 50.
    tell(ok(asked[42]!, 20, [31, 7])); //                                              → 0.55
    expect(collectiveSum(engine)).toBe(2);
    tell(ok(asked[60]!, 30, [4, 1])); // generation 3: g−1 = generation 2, whose best is 60 → 0.50
    expect(collectiveSum(engine)).toBe(2);
    expect(steps).toEqual([0.6, 0.55, 0.5, 0.55, 0.5, 0.55, 0.5]);
  });
});

describe('llmatic: a mutation with a random prompt uses that prompt\'s own temperature', () => {
  it('takes the temperature of the prompt\'s most curious individual, else the strategy\'s default temperature', () => {
    // Every mutation draws a random prompt, none is jittered, none is a crossover; evolution starts at 2 networks.
    const engine = make({ randomPromptShare: 1, jitterShare: 0, mutationProbability: 1, seedNetworks: 2, seedingBudget: 1000 });
    const asked = engine.ask(40); // the initial network and 39 seeding children at the initial temperature 0.6
    engine.tell([ok(asked[0]!, 50, [0, 0])]); // generation 0's best: 50
    // Generation 1's seeding children, grouped by prompt: one prompt with two children (b), two more (a, c), and the rest (d).
    const byPrompt = new Map<number, CandidateRequest[]>();
    for (const r of asked.slice(20)) byPrompt.set(promptIndexOf(r), [...(byPrompt.get(promptIndexOf(r)) ?? []), r]);
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
