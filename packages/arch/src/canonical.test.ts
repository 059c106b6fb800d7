import { describe, expect, it } from 'vitest';
import { architectureHash, canonicalize } from './canonical.ts';
import { arch, conv, dense, pool } from './test-fixtures.ts';

const input: [string, 'input', string[], Record<string, unknown>] = ['in', 'input', [], { shape: [8, 8, 3] }];

/** Two branches joined by an add, with ids and branch order as given. */
function twoBranch(ids: [string, string], swapOrder: boolean, swapAdd: boolean, filters = 8) {
  const [a, b] = ids;
  const branchA: [string, 'conv2d', string[], Record<string, unknown>] = [a, 'conv2d', ['in'], conv(filters, 3, { padding: 'same' })];
  const branchB: [string, 'conv2d', string[], Record<string, unknown>] = [b, 'conv2d', ['in'], conv(filters, 1)];
  return arch([
    input,
    ...(swapOrder ? [branchB, branchA] : [branchA, branchB]),
    ['sum', 'add', swapAdd ? [b, a] : [a, b], {}],
    ['g', 'globalAveragePooling2d', ['sum'], {}],
    ['out', 'dense', ['g'], dense(10)],
  ]);
}

describe('canonical form and hash', () => {
  it('is the same for other ids, branch order and add input order', () => {
    const h = architectureHash(twoBranch(['x', 'y'], false, false));
    expect(architectureHash(twoBranch(['p', 'q'], true, false))).toBe(h);
    expect(architectureHash(twoBranch(['x', 'y'], false, true))).toBe(h);
    expect(architectureHash(twoBranch(['q', 'p'], true, true))).toBe(h);
    expect(canonicalize(twoBranch(['p', 'q'], true, true))).toEqual(canonicalize(twoBranch(['x', 'y'], false, false)));
  });

  it('ignores dead nodes, folds activation layers and rate-0 dropout, and 1x1 padding', () => {
    const fused = arch([input, ['c', 'conv2d', ['in'], conv(4, 1, { activation: 'relu' })], ['f', 'flatten', ['c'], {}], ['o', 'dense', ['f'], dense(10)]]);
    const split = arch([
      input, ['c', 'conv2d', ['in'], conv(4, 1, { padding: 'same' })], ['r', 'activation', ['c'], { activation: 'relu' }],
      ['dead', 'dense', ['r'], dense(3)], ['f', 'flatten', ['r'], {}], ['z', 'dropout', ['f'], { rate: 0 }], ['o', 'dense', ['z'], dense(10)],
    ]);
    expect(architectureHash(split)).toBe(architectureHash(fused));
  });

  it('differs for different networks', () => {
    const base = architectureHash(twoBranch(['x', 'y'], false, false));
    expect(architectureHash(twoBranch(['x', 'y'], false, false, 16))).not.toBe(base);
    const concatAB = arch([input, ['a', 'conv2d', ['in'], conv(4, 1)], ['b', 'maxPooling2d', ['in'], pool(1)], ['c', 'concatenate', ['a', 'b'], { axis: -1 }], ['f', 'flatten', ['c'], {}], ['o', 'dense', ['f'], dense(10)]]);
    const concatBA = arch([input, ['a', 'conv2d', ['in'], conv(4, 1)], ['b', 'maxPooling2d', ['in'], pool(1)], ['c', 'concatenate', ['b', 'a'], { axis: -1 }], ['f', 'flatten', ['c'], {}], ['o', 'dense', ['f'], dense(10)]]);
    expect(architectureHash(concatAB)).not.toBe(architectureHash(concatBA));
    // One shared conv read twice vs two separate convs: same tree, different graphs.
    const shared = arch([input, ['c', 'conv2d', ['in'], conv(4, 1)], ['r', 'activation', ['c'], { activation: 'relu' }], ['s', 'activation', ['c'], { activation: 'tanh' }], ['m', 'add', ['r', 's'], {}], ['g', 'globalAveragePooling2d', ['m'], {}]]);
    const separate = arch([input, ['c', 'conv2d', ['in'], conv(4, 1)], ['c2', 'conv2d', ['in'], conv(4, 1)], ['r', 'activation', ['c'], { activation: 'relu' }], ['s', 'activation', ['c2'], { activation: 'tanh' }], ['m', 'add', ['r', 's'], {}], ['g', 'globalAveragePooling2d', ['m'], {}]]);
    expect(architectureHash(shared)).not.toBe(architectureHash(separate));
  });

  it('renames ids n0.. in a topological order with the output last', () => {
    const c = canonicalize(twoBranch(['x', 'y'], false, false));
    expect(c.nodes.map((n) => n.id)).toEqual(['n0', 'n1', 'n2', 'n3', 'n4', 'n5']);
    expect(c.output).toBe('n5');
    const seen = new Set<string>();
    for (const n of c.nodes) {
      expect(n.inputs.every((i) => seen.has(i))).toBe(true);
      seen.add(n.id);
    }
  });
});
