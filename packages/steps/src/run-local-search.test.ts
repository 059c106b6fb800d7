import { describe, expect, it } from 'vitest';
import type { CandidateRequest, CandidateResult } from '@nasfleet/contracts';
import { SearchEngine } from '@nasfleet/search';
import type { GenerateStep } from './generate-step.ts';
import { runLocalSearch } from './run-local-search.ts';
import type { LocalSearchOptions } from './run-local-search.ts';
import type { Checked, Evaluation } from './search-space.ts';
import { createToySpace, TOY_CROSSOVER, TOY_PROMPTS, toyFitness } from './testing/toy-space/toy-space.ts';
import type { ToySpace } from './testing/toy-space/toy-space.ts';

/** The local driver: de-duplication against in-flight and restored candidates, errors, batch and steady-state modes. */

const makeEngine = (strategy = 'random', seed = 3) =>
  SearchEngine.create(
    { strategy, seed, generationSize: 10, networkArchive: { niches: 10, bounds: [[0, 20], [0, 4]], seed: 1 }, llmatic: { seedNetworks: 3 } },
    { prompts: TOY_PROMPTS, crossoverPrompt: TOY_CROSSOVER, initialArtifact: 'x=0' },
  );
const restore = (engine: SearchEngine) => SearchEngine.restore(JSON.parse(JSON.stringify(engine.snapshot())));

/** A generate step that answers the request of index i with answers[i] (the rule operator's x=<i> when none is given). */
const scripted = (answers: Record<number, string>): GenerateStep & { asked: number[] } => {
  const asked: number[] = [];
  const step = async (request: CandidateRequest) => {
    asked.push(request.index);
    await Promise.resolve();
    return { id: request.id, answer: answers[request.index] ?? `x=${request.index % 21}`, feedback: null, calls: [] };
  };
  return Object.assign(step, { asked });
};

interface Deferred {
  promise: Promise<void>;
  resolve(): void;
}
const deferred = (): Deferred => {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
};

/** The toy space whose evaluation of `artifact` waits for `gate`. */
const gated = (space: ToySpace, artifact: string, gate: Deferred): ToySpace => ({
  ...space,
  async evaluate(checked: Checked, candidateId: string): Promise<Evaluation> {
    if (checked.artifact === artifact) await gate.promise;
    return space.evaluate(checked, candidateId);
  },
});

const told = (seen: CandidateResult[], id: string) => seen.find((r) => r.id === id)!;

describe('runLocalSearch: de-duplication', () => {
  it('concurrency 3: a duplicate that arrives while its original is evaluated waits for it and copies its result; the architecture is evaluated once', async () => {
    const engine = makeEngine();
    const space = createToySpace();
    const gate = deferred();
    // c0 and c1 are one architecture (c1 spelt differently); c3 repeats c2 once c2 is told; c4 is garbage; c6 repeats c5, which fails.
    const generate = scripted({ 0: 'x=5', 1: 'Sure!\n```text\nx = 05\n```', 2: 'x=6', 3: 'x=6', 4: 'no idea', 5: 'x=13', 6: 'x=13' });
    const claims: { id: string; duplicateOf: string | null }[] = [];
    const claimHash = engine.claimHash.bind(engine);
    let toldAtRelease: string[] | null = null;
    const seen: CandidateResult[] = [];
    engine.claimHash = (id, hash) => {
      const claim = claimHash(id, hash);
      claims.push({ id, ...claim });
      // Let c0's evaluation finish only once its duplicate has claimed the hash, and some time later.
      if (claim.duplicateOf === 'c000000') {
        setTimeout(() => {
          toldAtRelease = seen.map((r) => r.id);
          gate.resolve();
        }, 30);
      }
      return claim;
    };
    await runLocalSearch({ engine, space: gated(space, 'x=5', gate), generate, evaluations: 7, concurrency: 3, onResult: (r) => seen.push(r) });

    expect(engine.status()).toMatchObject({ asked: 7, told: 7, inFlight: 0, distinct: 3 });
    expect(space.evaluated.map((e) => e.artifact).sort()).toEqual(['x=13', 'x=5', 'x=6']);
    expect(space.evaluated.find((e) => e.artifact === 'x=5')!.candidateId).toBe('c000000');
    expect(claims).toContainEqual({ id: 'c000001', duplicateOf: 'c000000' });
    expect(claims).toContainEqual({ id: 'c000003', duplicateOf: 'c000002' });
    expect(claims.map((c) => c.id)).not.toContain('c000004');

    // c1 was not told while c0 was still being evaluated; everything else went on meanwhile.
    expect(toldAtRelease).not.toBeNull();
    expect(toldAtRelease).not.toContain('c000000');
    expect(toldAtRelease).not.toContain('c000001');
    expect(toldAtRelease).toEqual(expect.arrayContaining(['c000002', 'c000003', 'c000004', 'c000005', 'c000006']));
    const order = seen.map((r) => r.id);
    expect(order.indexOf('c000001')).toBeGreaterThan(order.indexOf('c000000'));

    const original = told(seen, 'c000000');
    expect(original).toMatchObject({ artifact: 'x=5', canonicalHash: 'toy:5', outcome: { status: 'ok', fitness: toyFitness(5, 7) }, metrics: { evalUnits: 5 } });
    expect(told(seen, 'c000001')).toEqual({
      id: 'c000001', artifact: 'x=5', outcome: original.outcome, feedback: null, canonicalHash: 'toy:5', descriptors: [5, 0],
      metrics: { answerChars: 'Sure!\n```text\nx = 05\n```'.length, duplicateOfIndex: 0 },
    });
    expect(told(seen, 'c000003')).toMatchObject({ outcome: told(seen, 'c000002').outcome, metrics: { duplicateOfIndex: 2 } });
    expect(told(seen, 'c000004').outcome).toMatchObject({ status: 'failed', failure: { class: 'extraction' } });
    expect(told(seen, 'c000006')).toMatchObject({ artifact: 'x=13', outcome: told(seen, 'c000005').outcome, metrics: { duplicateOfIndex: 5 } });
    expect(told(seen, 'c000006')).not.toHaveProperty('descriptors');
    // The engine holds the copies too.
    expect(engine.candidate('c000001')!.result).toEqual(told(seen, 'c000001'));
  });

  it('batch mode: a duplicate within the same batch waits for its original too', async () => {
    const engine = makeEngine();
    const space = createToySpace();
    const seen: CandidateResult[] = [];
    await runLocalSearch({ engine, space, generate: scripted({ 0: 'x=4', 1: 'x=4', 2: 'x=004', 3: 'x=4' }), evaluations: 4, batch: 3, onResult: (r) => seen.push(r) });
    expect(space.evaluated).toEqual([{ candidateId: 'c000000', artifact: 'x=4' }]);
    expect(seen.map((r) => r.metrics?.duplicateOfIndex)).toEqual([undefined, 0, 0, 0]);
    expect(new Set(seen.map((r) => JSON.stringify(r.outcome))).size).toBe(1);
  });

  it('a restored engine de-duplicates against a hash told before the restore, in a new space with nothing in memory', async () => {
    const first = makeEngine();
    const firstSpace = createToySpace();
    await runLocalSearch({ engine: first, space: firstSpace, generate: scripted({ 0: 'x=1', 1: 'x=2', 2: 'x=3' }), evaluations: 3 });
    expect(firstSpace.evaluated).toHaveLength(3);

    const engine = restore(first);
    const space = createToySpace();
    const seen: CandidateResult[] = [];
    await runLocalSearch({ engine, space, generate: scripted({ 3: 'x=3', 4: 'x=4', 5: 'x = 1' }), evaluations: 3, onResult: (r) => seen.push(r) });
    expect(space.evaluated).toEqual([{ candidateId: 'c000004', artifact: 'x=4' }]);
    expect(seen.map((r) => r.metrics?.duplicateOfIndex)).toEqual([2, undefined, 0]);
    expect(seen[0]!.outcome).toEqual(first.candidate('c000002')!.result!.outcome);
    expect(seen[2]!.outcome).toEqual({ status: 'ok', fitness: toyFitness(1, 7) });
    expect(engine.status()).toMatchObject({ told: 6, distinct: 4 });
  });

  it('a restored engine whose hash owner was lost in flight evaluates the duplicate rather than wait forever', async () => {
    const first = makeEngine();
    const [lost] = first.ask(1);
    expect(first.claimHash(lost!.id, 'toy:9')).toEqual({ duplicateOf: null });
    const engine = restore(first);
    const space = createToySpace();
    const seen: CandidateResult[] = [];
    await runLocalSearch({ engine, space, generate: scripted({ 1: 'x=9' }), evaluations: 1, onResult: (r) => seen.push(r) });
    expect(space.evaluated).toEqual([{ candidateId: 'c000001', artifact: 'x=9' }]);
    expect(seen[0]).toMatchObject({ outcome: { status: 'ok', fitness: toyFitness(9, 7) }, canonicalHash: 'toy:9' });
    expect(seen[0]!.metrics).not.toHaveProperty('duplicateOfIndex');
  });

  it('a space without dedup evaluates every candidate, repeated architectures too', async () => {
    const engine = makeEngine();
    const space = createToySpace({ dedup: false });
    await runLocalSearch({ engine, space, generate: scripted({ 0: 'x=2', 1: 'x=2', 2: 'x=2' }), evaluations: 3, concurrency: 2 });
    expect(space.evaluated.map((e) => e.artifact)).toEqual(['x=2', 'x=2', 'x=2']);
    expect(engine.candidates().map((c) => c.result!.metrics?.duplicateOfIndex)).toEqual([undefined, undefined, undefined]);
  });
});

describe('runLocalSearch: errors of the steps', () => {
  const boom = new Error('the LLM server is gone');
  const failingAt = (index: number): GenerateStep => async (request) => {
    if (request.index === index) throw boom;
    return { id: request.id, answer: `x=${request.index}`, feedback: null, calls: [] };
  };

  it.each([
    ['batch 3', { batch: 3 }],
    ['batch 1', {}],
    ['concurrency 3', { concurrency: 3 }],
  ] as const)('%s: an error thrown by generate stops the run with that error; it is no failed candidate', async (_name, mode) => {
    const engine = makeEngine();
    const space = createToySpace();
    const seen: CandidateResult[] = [];
    await expect(runLocalSearch({ engine, space, generate: failingAt(4), evaluations: 12, ...mode, onResult: (r) => seen.push(r) })).rejects.toBe(boom);
    expect(engine.candidate('c000004')!.result).toBeNull();
    expect(seen.map((r) => r.id)).not.toContain('c000004');
    expect(seen.every((r) => r.outcome.status === 'ok')).toBe(true);
    // Stopped: nothing goes on asking or evaluating after the error was thrown.
    const after = { asked: engine.status().asked, told: engine.status().told, evaluated: space.evaluated.length };
    await new Promise((r) => setTimeout(r, 50));
    expect({ asked: engine.status().asked, told: engine.status().told, evaluated: space.evaluated.length }).toEqual(after);
    expect(after.asked).toBeLessThan(12);
  });

  it.each([
    ['batch 3', { batch: 3 }],
    ['concurrency 3', { concurrency: 3 }],
  ] as const)('%s: the candidates already running when generate throws finish and are told before the error is thrown', async (_name, mode) => {
    const engine = makeEngine();
    const space = createToySpace();
    const gate = deferred();
    let settled = false;
    const run = runLocalSearch({ engine, space: gated(space, 'x=0', gate), generate: failingAt(1), evaluations: 12, ...mode }).finally(() => {
      settled = true;
    });
    run.catch(() => undefined);
    await new Promise((r) => setTimeout(r, 50));
    expect(settled).toBe(false);
    expect(engine.candidate('c000000')!.result).toBeNull();
    gate.resolve();
    await expect(run).rejects.toBe(boom);
    expect(engine.candidate('c000000')!.result).toMatchObject({ outcome: { status: 'ok', fitness: toyFitness(0, 7) } });
    expect(engine.candidate('c000002')!.result).toMatchObject({ outcome: { status: 'ok', fitness: toyFitness(2, 7) } });
    expect(engine.candidate('c000001')!.result).toBeNull();
    expect(engine.status()).toMatchObject({ asked: 3, told: 2 });
  });

  it('an error thrown by evaluate stops the run too (a space must not throw for a bad candidate; this is a broken space)', async () => {
    const engine = makeEngine();
    const space = createToySpace();
    const broken: ToySpace = { ...space, evaluate: async () => Promise.reject(new Error('the trainer crashed')) };
    await expect(runLocalSearch({ engine, space: broken, generate: scripted({}), evaluations: 3 })).rejects.toThrow('the trainer crashed');
    expect(engine.status().told).toBe(0);
  });

  it('refuses bad counts before asking anything', async () => {
    const engine = makeEngine();
    const base: LocalSearchOptions = { engine, space: createToySpace(), generate: scripted({}), evaluations: 3 };
    await expect(runLocalSearch({ ...base, evaluations: -1 })).rejects.toThrow(RangeError);
    await expect(runLocalSearch({ ...base, evaluations: 1.5 })).rejects.toThrow('evaluations must be a non-negative integer');
    await expect(runLocalSearch({ ...base, batch: 0 })).rejects.toThrow('batch must be a positive integer');
    await expect(runLocalSearch({ ...base, concurrency: 0 })).rejects.toThrow('concurrency must be a positive integer');
    expect(engine.status().asked).toBe(0);
  });
});

describe('runLocalSearch: batch and steady-state modes', () => {
  it.each([
    ['batch 1', {}],
    ['batch 4', { batch: 4 }],
    ['batch larger than the run', { batch: 50 }],
    ['concurrency 1', { concurrency: 1 }],
    ['concurrency 3', { concurrency: 3 }],
    ['concurrency larger than the run', { concurrency: 50 }],
  ] as const)('%s: tells every candidate exactly once, and onResult counts them', async (_name, mode) => {
    const engine = makeEngine('llmatic', 8);
    const space = createToySpace();
    const generate = scripted({});
    const counts: number[] = [];
    const ids: string[] = [];
    await runLocalSearch({ engine, space, generate, evaluations: 17, ...mode, onResult: (result, request, n) => {
      expect(result.id).toBe(request.id);
      counts.push(n);
      ids.push(result.id);
    } });
    expect(engine.status()).toMatchObject({ asked: 17, told: 17, inFlight: 0 });
    expect(counts).toEqual(Array.from({ length: 17 }, (_, i) => i + 1));
    expect([...ids].sort()).toEqual(engine.candidates().map((c) => c.id));
    expect(generate.asked.sort((a, b) => a - b)).toEqual(Array.from({ length: 17 }, (_, i) => i));
  });

  it('batch mode tells each batch together, in ask order', async () => {
    const engine = makeEngine();
    const tellSizes: number[] = [];
    const tell = engine.tell.bind(engine);
    engine.tell = (results) => {
      tellSizes.push(results.length);
      return tell(results);
    };
    const ids: string[] = [];
    await runLocalSearch({ engine, space: createToySpace(), generate: scripted({}), evaluations: 10, batch: 4, onResult: (r) => ids.push(r.id) });
    expect(tellSizes).toEqual([4, 4, 2]);
    expect(ids).toEqual(engine.candidates().map((c) => c.id));
  });

  it('steady state: a slow candidate does not hold the others back', async () => {
    const engine = makeEngine();
    const space = createToySpace();
    const gate = deferred();
    const ids: string[] = [];
    const run = runLocalSearch({ engine, space: gated(space, 'x=0', gate), generate: scripted({}), evaluations: 8, concurrency: 2, onResult: (r) => ids.push(r.id) });
    await expect.poll(() => ids.length, { timeout: 30_000 }).toBe(7);
    expect(ids).not.toContain('c000000');
    gate.resolve();
    await run;
    expect(ids.at(-1)).toBe('c000000');
  });

  it('evaluations 0 asks nothing', async () => {
    const engine = makeEngine();
    await runLocalSearch({ engine, space: createToySpace(), generate: scripted({}), evaluations: 0, concurrency: 2 });
    await runLocalSearch({ engine, space: createToySpace(), generate: scripted({}), evaluations: 0 });
    expect(engine.status().asked).toBe(0);
  });
});
