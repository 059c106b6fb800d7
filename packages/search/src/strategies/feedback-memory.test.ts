import { describe, expect, it } from 'vitest';
import type { CandidateRequest, CandidateResult } from '@nasfleet/contracts';
import { SearchEngine } from '../engine/search-engine.ts';
import { TOY_BOUNDS, TOY_CROSSOVER, TOY_INITIAL, TOY_PROMPTS } from '../testing/toy-space.ts';

const setup = { prompts: TOY_PROMPTS, crossoverPrompt: TOY_CROSSOVER, initialArtifact: TOY_INITIAL };
const make = (memory: Record<string, unknown> = {}) =>
  SearchEngine.create({ strategy: 'feedback-memory', seed: 1, networkArchive: { bounds: TOY_BOUNDS }, memory }, setup);

const ok = (r: CandidateRequest, fitness: number, note = r.id): CandidateResult => ({
  id: r.id, artifact: `art-${r.id}`, outcome: { status: 'ok', fitness }, descriptors: [1, 1],
  feedback: { problem: `problem ${note}`, suggestion: `suggestion ${note}`, intent: 'improve' },
});
const failed = (r: CandidateRequest): CandidateResult => ({
  id: r.id, artifact: `art-${r.id}`, outcome: { status: 'failed', failure: { class: 'shape', message: `shape mismatch in ${r.id}` } },
  feedback: { problem: 'p', suggestion: 's' },
});

const noCode = (r: CandidateRequest): CandidateResult => ({
  id: r.id, artifact: null, outcome: { status: 'failed', failure: { class: 'extraction', message: `no code block in the answer to ${r.id}` } },
});

describe('feedback-memory', () => {
  it('improves the current attempt with the best as reference and a sliding window of the K=5 latest triples', () => {
    const engine = make();
    const [seed] = engine.ask(1);
    expect(seed!.operator).toBe('seed');
    engine.tell([ok(seed!, 10)]);
    const fitness = [20, 5, 30, 1, 2, 3, 4];
    for (const [i, f] of fitness.entries()) {
      const [r] = engine.ask(1);
      expect(r!.operator).toBe('improve');
      expect(r!.improver).toBe(true);
      expect(r!.memory!.length).toBe(Math.min(i, 5));
      engine.tell([i === 3 ? failed(r!) : ok(r!, f)]);
    }
    const [next] = engine.ask(1);
    // Current = the latest told attempt; reference = the best so far (30).
    expect(next!.parents[0]!.id).toBe('c000007');
    expect(next!.reference!.outcome).toEqual({ status: 'ok', fitness: 30 });
    expect(next!.memory!.map((m) => m.candidateId)).toEqual(['c000003', 'c000004', 'c000005', 'c000006', 'c000007']);
    // The failure is a first-class entry with its diagnostic.
    expect(next!.memory![1]!.outcome).toEqual({ status: 'failed', failure: { class: 'shape', message: 'shape mismatch in c000004' } });
    expect(next!.memory![0]).toMatchObject({ problem: 'problem c000003', suggestion: 'suggestion c000003', intent: 'improve' });
    // Baseline: the reference the attempt was built on (best so far at ask time: 20 for c000003).
    expect(next!.memory![0]!.baseline).toBe(20);
  });

  it('an attempt without code enters the memory but is never handed out: the latest attempt with code stays current', () => {
    // The crash this reproduces: "candidate c000002 has no artifact to hand out" on the next ask.
    const engine = make();
    const [seed] = engine.ask(1);
    engine.tell([ok(seed!, 10)]);
    const [first] = engine.ask(1);
    engine.tell([failed(first!)]); // failed, but with code: it stays the code to fix
    const [second] = engine.ask(1);
    expect(second!.parents[0]!.id).toBe(first!.id);
    engine.tell([noCode(second!)]);
    const [third] = engine.ask(1);
    expect(third!.parents[0]).toMatchObject({ id: first!.id, artifact: `art-${first!.id}` });
    expect(third!.reference!.id).toBe(seed!.id);
    // The LLM sees that its last answer had no code, and why.
    expect(third!.memory!.at(-1)).toMatchObject({ candidateId: second!.id, outcome: { status: 'failed', failure: { class: 'extraction' } } });
    engine.tell([noCode(third!)]);
    const [fourth] = engine.ask(1);
    expect(fourth!.parents[0]!.id).toBe(first!.id);
    expect(fourth!.memory!.map((m) => m.candidateId)).toEqual([first!.id, second!.id, third!.id]);
  });

  it('falls back to the initial network when no attempt has code yet, even if the initial network failed', () => {
    const engine = make();
    const [seed, a, b] = engine.ask(3);
    // Out of order: both children come back without code before the seed does.
    engine.tell([noCode(b!), noCode(a!)]);
    expect(engine.ask(1)[0]!.parents[0]).toMatchObject({ id: seed!.id, artifact: TOY_INITIAL });
    engine.tell([{ id: seed!.id, artifact: null, outcome: { status: 'failed', failure: { class: 'training-nan', message: 'loss is NaN' } } }]);
    const [next] = engine.ask(1);
    expect(next!.parents[0]).toMatchObject({ id: seed!.id, artifact: TOY_INITIAL });
    expect(next!.reference).toBeNull(); // nothing succeeded: no best to show
  });

  it('the three ablations switch off the improver, the reference and the history', () => {
    const run = (memory: Record<string, unknown>) => {
      const engine = make(memory);
      for (let i = 0; i < 4; i++) {
        const [r] = engine.ask(1);
        engine.tell([ok(r!, i)]);
      }
      return engine.ask(1)[0]!;
    };
    expect(run({}).reference).not.toBeNull();
    expect(run({ improver: false }).improver).toBe(false);
    expect(run({ reference: false }).reference).toBeNull();
    expect(run({ history: false }).memory).toBeNull();
    expect(run({ window: 2 }).memory).toHaveLength(2);
  });
});

describe('regularized evolution', () => {
  const make = (population = 10, tournament = 3) =>
    SearchEngine.create(
      { strategy: 'regularized-evolution', seed: 2, networkArchive: { bounds: TOY_BOUNDS }, regularizedEvolution: { population, tournament } },
      setup,
    );

  it('samples a population, then mutates tournament winners; the oldest leaves; failures never join', () => {
    const engine = make(10, 3);
    const first = engine.ask(10);
    expect(first.every((r) => r.operator === 'sample')).toBe(true);
    engine.tell(first.map((r, i) => (i === 0 ? failed(r) : ok(r, i))));
    const children = engine.ask(200);
    expect(children.every((r) => r.operator === 'mutate' && r.parents.length === 1)).toBe(true);
    // The failed c000000 is never a parent; the worst members seldom are (tournaments of 3 among 9).
    expect(children.some((r) => r.parents[0]!.id === 'c000000')).toBe(false);
    const wins = (id: string) => children.filter((r) => r.parents[0]!.id === id).length;
    expect(wins('c000009')).toBeGreaterThan(wins('c000001') * 3);
    // Aging: after 10 newer children are told, the old population is gone even if it was better.
    engine.tell(children.slice(0, 10).map((r) => ok(r, 0.5)));
    const later = engine.ask(50);
    expect(later.every((r) => Number(r.parents[0]!.id.slice(1)) >= 10)).toBe(true);
  });

  it('keeps sampling while no member trained, whatever came back', () => {
    const engine = make(5, 2);
    const first = engine.ask(8);
    engine.tell(first.map((r, i) => (i % 2 ? failed(r) : noCode(r))));
    const next = engine.ask(10);
    expect(next.every((r) => r.operator === 'sample' && r.parents.length === 0)).toBe(true);
    engine.tell([ok(next[3]!, 1)]);
    expect(engine.ask(10).every((r) => r.operator === 'mutate' && r.parents[0]!.id === next[3]!.id)).toBe(true);
  });
});

describe('random search', () => {
  it('only ever samples', () => {
    const engine = SearchEngine.create({ strategy: 'random', networkArchive: { bounds: TOY_BOUNDS } }, { ...setup, initialArtifact: null });
    const requests = engine.ask(30);
    expect(requests.every((r) => r.operator === 'sample' && r.parents.length === 0)).toBe(true);
  });
});
