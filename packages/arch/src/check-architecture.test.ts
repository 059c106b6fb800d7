import { describe, expect, it } from 'vitest';
import { checkArchitecture } from './check-architecture.ts';
import { initialArchitecture } from './random-architecture.ts';
import { MAX_NODES } from './arch-schema.ts';
import { arch, conv, dense, pool } from './test-fixtures.ts';

const ctx = { inputShape: [32, 32, 3], numClasses: 10 };

describe('checkArchitecture', () => {
  it('reports shapes, cost and descriptors of the seed network', () => {
    const r = checkArchitecture(initialArchitecture(ctx), ctx);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    // conv 1x1: 3+1; dense 1024*1024+1024; dense 1024*10+10
    expect(r.report.params).toBe(4 + 1024 * 1024 + 1024 + 10250);
    expect(r.report.flops).toBe(3 * 1024 + 1024 * 1024 + 1024 + 10250);
    expect(r.report.descriptors).toMatchObject({ width: 1024, depth: 4 });
  });

  it("classifies a malformed description as 'invalid-artifact' and an unknown op as 'unsupported-layer'", () => {
    const dup = checkArchitecture({ format: 'nasfleet.arch/v1', nodes: [{ id: 'a', op: 'input', inputs: [], config: { shape: [4] } }, { id: 'a', op: 'flatten', inputs: ['a'], config: {} }], output: 'a' }, ctx);
    expect(dup.ok ? null : dup.failure.class).toBe('invalid-artifact');
    expect(dup.ok ? '' : dup.failure.message).toMatch(/duplicate node id "a"/);
    const lstm = checkArchitecture({ format: 'nasfleet.arch/v1', nodes: [{ id: 'i', op: 'input', inputs: [], config: { shape: [4] } }, { id: 'l', op: 'lstm', inputs: ['i'], config: {} }], output: 'l' }, ctx);
    expect(lstm.ok ? null : lstm.failure.class).toBe('unsupported-layer');
  });

  it("classifies wrong outputs as 'output' naming the node and the fix", () => {
    const noFlatten = arch([['in', 'input', [], { shape: [32, 32, 3] }], ['c', 'conv2d', ['in'], conv(4)], ['head', 'dense', ['c'], dense(10)]]);
    const r1 = checkArchitecture(noFlatten, ctx);
    expect(r1.ok ? null : r1.failure).toMatchObject({ class: 'output', message: expect.stringMatching(/"head".*\[30,30,10\].*flatten/) });
    const wrongUnits = arch([['in', 'input', [], { shape: [32, 32, 3] }], ['f', 'flatten', ['in'], {}], ['head', 'dense', ['f'], dense(7)]]);
    const r2 = checkArchitecture(wrongUnits, ctx);
    expect(r2.ok ? null : r2.failure).toMatchObject({ class: 'output', message: expect.stringMatching(/"head".*\[7\].*10 units/) });
  });

  it("classifies a wrong input shape and shape errors as 'shape'", () => {
    const r = checkArchitecture(initialArchitecture({ inputShape: [28, 28, 1], numClasses: 10 }), ctx);
    expect(r.ok ? null : r.failure).toMatchObject({ class: 'shape', message: expect.stringMatching(/\[28,28,1\].*\[32,32,3\]/) });
  });

  it("classifies caps as 'over-budget' with the numbers and the largest layer", () => {
    const seed = initialArchitecture(ctx);
    const r = checkArchitecture(seed, { ...ctx, maxParams: 100_000, maxFlops: 1e9, maxActivationBytes: 1000 });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.failure.class).toBe('over-budget');
    expect(r.failure.message).toMatch(/1059854 parameters \(cap 100000; most in "dense3"/);
    expect(r.failure.message).toMatch(/activation bytes/);
    expect(r.failure.message).not.toMatch(/multiply-adds per example \(cap/);
    expect(r.failure.message).toMatch(/"dense3" with 1049600 parameters/);
    expect(checkArchitecture(seed, { ...ctx, maxParams: 2e6 }).ok).toBe(true);
  });

  // c1 has the largest activation, c2 the most multiply-adds, d the most parameters.
  const threeWays = arch([
    ['in', 'input', [], { shape: [32, 32, 3] }],
    ['c1', 'conv2d', ['in'], conv(64, 3, { padding: 'same' })],
    ['p', 'maxPooling2d', ['c1'], pool()],
    ['c2', 'conv2d', ['p'], conv(64, 3, { padding: 'same' })],
    ['g', 'globalAveragePooling2d', ['c2'], {}],
    ['d', 'dense', ['g'], dense(1000)],
    ['head', 'dense', ['d'], dense(10)],
  ]);
  const overBy = (caps: Record<string, number>): string => {
    const r = checkArchitecture(threeWays, { ...ctx, ...caps });
    if (r.ok) throw new Error('expected over-budget');
    expect(r.failure.class).toBe('over-budget');
    return r.failure.message;
  };

  it('over the parameter cap names the node with the most parameters', () => {
    expect(overBy({ maxParams: 1000 })).toContain('(cap 1000; most in "d" with 65000 parameters)');
  });

  it('over the FLOP cap names the node with the most multiply-adds', () => {
    expect(overBy({ maxFlops: 1000 })).toContain(`(cap 1000; most in "c2" with ${9 * 64 * 64 * 16 * 16} multiply-adds)`);
  });

  it('over the activation cap names the node with the largest activation and its size', () => {
    const message = overBy({ maxActivationBytes: 1000 });
    expect(message).toContain(`the largest activation is the output of "c1", [32,32,64] = ${32 * 32 * 64 * 4} bytes`);
    expect(message).not.toContain('"d"');
  });

  it(`a network of more than MAX_NODES (${MAX_NODES}) nodes is over-budget, saying the cap`, () => {
    const nodes: Array<[string, 'input' | 'activation', string[], Record<string, unknown>]> = [['in', 'input', [], { shape: [10] }]];
    for (let i = 1; i < MAX_NODES + 1; i++) nodes.push([`a${i}`, 'activation', [nodes[i - 1]?.[0] ?? 'in'], { activation: 'relu' }]);
    const r = checkArchitecture(arch(nodes), ctx);
    expect(r.ok ? null : r.failure).toEqual({ class: 'over-budget', message: `the network has ${MAX_NODES + 1} nodes, over the cap of ${MAX_NODES} (the input included); use fewer, wider layers` });
  });
});
