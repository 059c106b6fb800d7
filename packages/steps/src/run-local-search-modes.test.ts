import { describe, expect, it } from 'vitest';
import type { CandidateRequest } from '@nasfleet/contracts';
import { SearchEngine } from '@nasfleet/search';
import type { GenerateStep } from './generate-step.ts';
import { runLocalSearch } from './run-local-search.ts';
import type { LocalSearchOptions } from './run-local-search.ts';
import { createToySpace, TOY_CROSSOVER, TOY_PROMPTS } from './testing/toy-space/toy-space.ts';

/** runLocalSearch's modes: steady state and generations of N, and the seeded return order a fleet's would have. */

const makeEngine = (strategy = 'regularized-evolution', seed = 3) =>
  SearchEngine.create(
    { strategy, seed, generationSize: 10, networkArchive: { niches: 10, bounds: [[0, 20], [0, 4]], seed: 1 }, llmatic: { seedNetworks: 3 } },
    { prompts: TOY_PROMPTS, crossoverPrompt: TOY_CROSSOVER, initialArtifact: 'x=0' },
  );
const step: GenerateStep = async (request: CandidateRequest) => ({ id: request.id, answer: `x=${request.index % 21}`, feedback: null, calls: [] });

interface Trace {
  ids: string[];
  /** Candidates asked and not told, seen right after each tell. */
  inFlight: number[];
  /** Sizes of the engine's tell calls. */
  tells: number[];
}
async function trace(mode: Partial<LocalSearchOptions>, evaluations = 60, generate = step, strategy?: string): Promise<Trace> {
  const engine = makeEngine(strategy);
  const t: Trace = { ids: [], inFlight: [], tells: [] };
  const tell = engine.tell.bind(engine);
  engine.tell = (results) => {
    t.tells.push(results.length);
    return tell(results);
  };
  await runLocalSearch({ engine, space: createToySpace(), generate, evaluations, ...mode, onResult: (r) => {
    t.ids.push(r.id);
    const { asked, told } = engine.progress();
    t.inFlight.push(asked - told);
  } });
  return t;
}
const askOrder = (n: number) => Array.from({ length: n }, (_, i) => `c${String(i).padStart(6, '0')}`);

describe('runLocalSearch: steady state with a seeded return order', () => {
  it('keeps N candidates in flight, tells each once as it "finishes", in an order other than the ask order, the same for a seed', async () => {
    const a = await trace({ mode: 'steady', inFlight: 8, orderSeed: 5 });
    expect([...a.ids].sort()).toEqual(askOrder(60));
    expect(a.ids).not.toEqual(askOrder(60));
    // After each tell one slot is free until its replacement is asked; the last 7 drain.
    expect(a.inFlight.slice(0, 53)).toEqual(Array(53).fill(7));
    expect(a.inFlight.slice(53)).toEqual([6, 5, 4, 3, 2, 1, 0]);
    expect(a.tells).toEqual(Array(60).fill(1));
    expect((await trace({ mode: 'steady', inFlight: 8, orderSeed: 5 })).ids).toEqual(a.ids);
    expect((await trace({ mode: 'steady', inFlight: 8, orderSeed: 6 })).ids).not.toEqual(a.ids);
  });

  it('a candidate asked early can return many tells later (a slow training), as on a fleet; without the seed, steps that finish at once hardly reorder', async () => {
    const lateness = (ids: string[]) => ids.map((id, told) => told - Number(id.slice(1)));
    const seeded = lateness((await trace({ mode: 'steady', inFlight: 16, orderSeed: 1 }, 200)).ids);
    expect(Math.max(...seeded)).toBeGreaterThan(16);
    expect(Math.min(...seeded)).toBeLessThan(-4);
    const unseeded = lateness((await trace({ mode: 'steady', inFlight: 16 }, 200)).ids);
    expect(Math.max(...unseeded.map(Math.abs))).toBeLessThan(16);
  });
});

describe('runLocalSearch: generations of N', () => {
  it('asks N, tells the N together, then asks the next N; with a seed each generation is told in a shuffled order', async () => {
    const g = await trace({ mode: 'generational', inFlight: 16, orderSeed: 2 }, 40);
    expect(g.tells).toEqual([16, 16, 8]);
    expect(g.inFlight).toEqual([...Array(16).fill(0), ...Array(16).fill(0), ...Array(8).fill(0)]);
    const generations = [g.ids.slice(0, 16), g.ids.slice(16, 32), g.ids.slice(32)];
    generations.forEach((ids, k) => expect([...ids].sort()).toEqual(askOrder(40).slice(16 * k, 16 * k + ids.length)));
    expect(g.ids).not.toEqual(askOrder(40));
    expect((await trace({ mode: 'generational', inFlight: 16 }, 40)).ids).toEqual(askOrder(40));
  });

  it('one in flight is the same search in every mode (and the shorthands batch and concurrency are the modes)', async () => {
    const one = await trace({});
    for (const mode of [{ mode: 'steady', inFlight: 1, orderSeed: 9 }, { mode: 'generational', orderSeed: 9 }, { batch: 1 }, { concurrency: 1 }] as const) {
      expect((await trace(mode)).ids).toEqual(one.ids);
    }
    expect((await trace({ mode: 'generational', inFlight: 4 }, 20)).tells).toEqual((await trace({ batch: 4 }, 20)).tells);
  });
});

describe('runLocalSearch: a strategy that waits for results (LLMatic seeding no more than its archives need)', () => {
  const cumulative = (xs: number[]) => xs.map((_, i) => xs.slice(0, i + 1).reduce((a, b) => a + b, 0));

  it.each([
    ['seeded steady state', { mode: 'steady', inFlight: 8, orderSeed: 5 }],
    ['steady state', { mode: 'steady', inFlight: 8 }],
  ] as const)('%s: slots wait while seeding children are in flight, then all N run; each candidate told once', async (_name, mode) => {
    const t = await trace(mode, 60, step, 'llmatic');
    expect([...t.ids].sort()).toEqual(askOrder(60));
    // The initial network and its 3 seeding children (seedNetworks 3) are all that run at first.
    expect(t.inFlight[0]).toBeLessThanOrEqual(3);
    expect(Math.max(...t.inFlight)).toBe(7);
  });

  it('generations: the first is asked in waves, each told before the next, and still holds N; the next ones are whole', async () => {
    const g = await trace({ mode: 'generational', inFlight: 16, orderSeed: 2 }, 40, step, 'llmatic');
    expect([...g.ids].sort()).toEqual(askOrder(40));
    expect(g.tells[0]).toBe(4);
    expect(g.tells.length).toBeGreaterThan(3);
    expect(cumulative(g.tells)).toEqual(expect.arrayContaining([16, 32, 40]));
    expect(g.tells.slice(-2)).toEqual([16, 8]);
  });
});

describe('runLocalSearch: stopping', () => {
  it('until: nothing is asked once it holds; what is in flight is still told', async () => {
    for (const mode of [{ mode: 'steady', inFlight: 5, orderSeed: 1 }, { mode: 'steady', inFlight: 5 }, { mode: 'generational', inFlight: 5 }] as const) {
      const engine = makeEngine();
      let told = 0;
      await runLocalSearch({ engine, space: createToySpace(), generate: step, evaluations: 100, ...mode, until: () => told >= 12, onResult: () => (told += 1) });
      const { asked } = engine.progress();
      expect(engine.progress().told).toBe(asked);
      expect(asked).toBeGreaterThanOrEqual(12);
      expect(asked).toBeLessThanOrEqual(12 + 5);
    }
  });

  it('seeded steady state: an error of a step stops asking, the others finish and are told, then it is thrown', async () => {
    const boom = new Error('the LLM server is gone');
    const failing: GenerateStep = async (request) => {
      if (request.index === 10) throw boom;
      return step(request);
    };
    const engine = makeEngine();
    const told: string[] = [];
    await expect(runLocalSearch({ engine, space: createToySpace(), generate: failing, evaluations: 60, mode: 'steady', inFlight: 6, orderSeed: 4, onResult: (r) => told.push(r.id) })).rejects.toBe(boom);
    const { asked } = engine.progress();
    expect(asked).toBeLessThan(60);
    expect(told).toHaveLength(asked - 1);
    expect(told).not.toContain('c000010');
  });

  it('refuses bad or contradicting settings before asking anything', async () => {
    const engine = makeEngine();
    const base: LocalSearchOptions = { engine, space: createToySpace(), generate: step, evaluations: 3 };
    await expect(runLocalSearch({ ...base, mode: 'steady', inFlight: 0 })).rejects.toThrow('inFlight must be a positive integer');
    await expect(runLocalSearch({ ...base, inFlight: 2.5 })).rejects.toThrow('inFlight must be a positive integer');
    await expect(runLocalSearch({ ...base, mode: 'swarm' as 'steady' })).rejects.toThrow("mode must be 'steady' or 'generational', got 'swarm'");
    await expect(runLocalSearch({ ...base, mode: 'steady', batch: 2 })).rejects.toThrow('not mode and batch');
    await expect(runLocalSearch({ ...base, concurrency: 2, inFlight: 2 })).rejects.toThrow('inFlight goes with mode');
    expect(engine.progress().asked).toBe(0);
  });
});
