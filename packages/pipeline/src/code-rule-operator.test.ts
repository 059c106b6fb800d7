import { describe, expect, it } from 'vitest';
import { checkArchitecture, initialArchitecture, printCode } from '@nasfleet/arch';
import { architectureFromAnswer } from '@nasfleet/sandbox';
import type { CandidateRequest, MemoryEntry } from '@nasfleet/contracts';
import { chooseIntent, createCodeRuleOperator } from './code-rule-operator.ts';

const ctx = { inputShape: [28, 28, 1] as [number, number, number], numClasses: 10, maxParams: 5e6 };
const initial = printCode(initialArchitecture(ctx), ctx);
const operator = createCodeRuleOperator(ctx);
const ref = (id: string, artifact: string) => ({ id, artifact, outcome: { status: 'ok' as const, fitness: 50 } });
const request = (over: Partial<CandidateRequest>): CandidateRequest => ({
  id: 'c1', index: 1, generation: 0, strategy: 'llmatic', operator: 'mutate', parents: [ref('c0', initial)],
  prompt: { id: 'add-conv', intent: 'add-conv' }, temperature: 0.5, memory: null, reference: null, improver: false, seed: 7, ...over,
});

async function valid(code: string | null) {
  expect(code).not.toBeNull();
  const parsed = await architectureFromAnswer(code!, { inputShape: ctx.inputShape, numClasses: 10 });
  expect(parsed.ok).toBe(true);
  if (!parsed.ok) throw new Error(parsed.failure.message);
  const checked = checkArchitecture(parsed.architecture, { numClasses: 10, inputShape: ctx.inputShape });
  expect(checked.ok).toBe(true);
  return parsed.architecture;
}

describe('code-space rule operator', () => {
  it('carries out a prompt intent as an edit and prints code the sandbox reads back', async () => {
    const out = await operator.apply(request({}));
    const arch = await valid(out.artifact);
    expect(out.artifact).not.toEqual(initial);
    expect(arch.nodes.filter((n) => n.op === 'conv2d').length).toBe(2);
    expect(out.feedback).toMatchObject({ intent: 'add-conv' });
  });

  it('is deterministic for a seed and varies across seeds', async () => {
    const a = await operator.apply(request({ prompt: { id: 'grow', intent: 'grow-drastically' } }));
    const b = await operator.apply(request({ prompt: { id: 'grow', intent: 'grow-drastically' } }));
    expect(a.artifact).toEqual(b.artifact);
    const others = await Promise.all([1, 2, 3, 4].map((seed) => operator.apply(request({ seed, prompt: { id: 'grow', intent: 'grow-drastically' } }))));
    expect(new Set(others.map((o) => o.artifact)).size).toBeGreaterThan(1);
  });

  it('samples, crosses over and improves into valid, new networks', async () => {
    const sampled = await operator.apply(request({ operator: 'sample', parents: [], prompt: null }));
    await valid(sampled.artifact);
    const grown = (await operator.apply(request({ prompt: { id: 'g', intent: 'grow-drastically' } }))).artifact!;
    const crossed = await operator.apply(request({ operator: 'crossover', parents: [ref('a', initial), ref('b', grown)], prompt: { id: 'crossover', intent: 'crossover' } }));
    await valid(crossed.artifact);
    const improved = await operator.apply(request({ operator: 'improve', parents: [ref('c', grown)], reference: ref('d', initial), prompt: null, improver: true }));
    await valid(improved.artifact);
    expect(improved.feedback?.problem).toMatch(/last attempt reached 50/);
  });

  it('falls back to another edit when the intent has nothing to change', async () => {
    const out = await operator.apply(request({ prompt: { id: 'narrow', intent: 'remove-layer' }, parents: [ref('c0', initial)] }));
    await valid(out.artifact);
  });

  it('steers away from intents that hurt or failed on this lineage', () => {
    const entry = (intent: string, fitness: number | null): MemoryEntry => ({
      candidateId: 'x', problem: '', suggestion: '', intent, baseline: 50,
      outcome: fitness === null ? { status: 'failed', failure: { class: 'shape', message: 'x' } } : { status: 'ok', fitness },
    });
    expect(chooseIntent([])).toBe('improve');
    expect(chooseIntent([entry('improve', 40)])).not.toBe('improve');
    expect(chooseIntent([entry('improve', null), entry('widen', 60)])).toBe('widen');
  });

  it('returns a classified failure when the parent code is broken', async () => {
    const out = await operator.apply(request({ parents: [ref('bad', 'function buildModel(tf) { return tf.layers.nope({}); }')] }));
    expect(out.artifact).toBeNull();
    expect(out.failure?.class).toBe('unsupported-layer');
  });
});
