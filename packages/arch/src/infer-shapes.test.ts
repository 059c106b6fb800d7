import { describe, expect, it } from 'vitest';
import { convOutputLength, inferShapes } from './infer-shapes.ts';
import { arch, bn, conv, dense, pool } from './test-fixtures.ts';

const input = (shape: number[]): [string, 'input', string[], Record<string, unknown>] => ['in', 'input', [], { shape }];

function shapesOf(a: ReturnType<typeof arch>): Record<string, number[]> {
  const r = inferShapes(a);
  if (!r.ok) throw new Error(r.failure.message);
  return r.shapes;
}

describe('convOutputLength', () => {
  it('follows Keras for same/valid, strides and dilation', () => {
    expect(convOutputLength(32, 3, 'same', 1)).toBe(32);
    expect(convOutputLength(32, 3, 'same', 2)).toBe(16);
    expect(convOutputLength(33, 3, 'same', 2)).toBe(17);
    expect(convOutputLength(32, 3, 'valid', 1)).toBe(30);
    expect(convOutputLength(32, 3, 'valid', 2)).toBe(15);
    expect(convOutputLength(32, 3, 'valid', 1, 2)).toBe(28);
  });
});

describe('inferShapes', () => {
  it('computes conv, depthwise, separable, pooling and padding shapes', () => {
    const s = shapesOf(arch([
      input([32, 32, 3]),
      ['c', 'conv2d', ['in'], conv(16, 3, { strides: [2, 2], padding: 'same' })],
      ['d', 'depthwiseConv2d', ['c'], { ...conv(0), filters: undefined, depthMultiplier: 2 }],
      ['s', 'separableConv2d', ['d'], { ...conv(24, 3, { padding: 'same', dilationRate: [2, 2] }), depthMultiplier: 1 }],
      ['p', 'maxPooling2d', ['s'], pool(3, 2)],
      ['a', 'averagePooling2d', ['p'], pool(2, 2, 'same')],
      ['z', 'zeroPadding2d', ['a'], { padding: [[1, 2], [0, 3]] }],
      ['g', 'globalAveragePooling2d', ['z'], {}],
    ]));
    expect(s).toMatchObject({ c: [16, 16, 16], d: [14, 14, 32], s: [14, 14, 24], p: [6, 6, 24], a: [3, 3, 24], z: [6, 6, 24], g: [24] });
  });

  it('flattens, applies dense to the last axis, keeps shapes through BN/dropout/activation', () => {
    const s = shapesOf(arch([
      input([8, 8, 4]),
      ['d3', 'dense', ['in'], dense(5)],
      ['b', 'batchNormalization', ['d3'], bn],
      ['r', 'activation', ['b'], { activation: 'relu' }],
      ['o', 'dropout', ['r'], { rate: 0.5 }],
      ['f', 'flatten', ['o'], {}],
      ['gm', 'globalMaxPooling2d', ['r'], {}],
      ['d', 'dense', ['f'], dense(10)],
    ]));
    expect(s).toMatchObject({ d3: [8, 8, 5], b: [8, 8, 5], o: [8, 8, 5], f: [320], gm: [5], d: [10] });
  });

  it('merges: add/multiply broadcast size-1 axes, concatenate sums the axis', () => {
    const s = shapesOf(arch([
      input([8, 8, 4]),
      ['a', 'conv2d', ['in'], conv(4, 1)],
      ['one', 'conv2d', ['in'], conv(1, 1)],
      ['sum', 'add', ['a', 'in'], {}],
      ['bc', 'multiply', ['sum', 'one'], {}],
      ['cat', 'concatenate', ['bc', 'one', 'a'], { axis: -1 }],
      ['cat3', 'concatenate', ['bc', 'a'], { axis: 3 }],
      ['rows', 'concatenate', ['bc', 'a'], { axis: 1 }],
    ]));
    expect(s).toMatchObject({ sum: [8, 8, 4], bc: [8, 8, 4], cat: [8, 8, 9], cat3: [8, 8, 8], rows: [16, 8, 4] });
  });

  it.each([6, 8, 12])('merges %i inputs: add, multiply and concatenate take any number of tensors', (n) => {
    const branches: Array<[string, 'conv2d', string[], Record<string, unknown>]> = Array.from({ length: n }, (_, i) => [`b${i}`, 'conv2d', ['in'], conv(4, 1)]);
    const ids = branches.map((b) => b[0]);
    const s = shapesOf(arch([
      input([8, 8, 3]),
      ...branches,
      ['sum', 'add', ids, {}],
      ['prod', 'multiply', ids, {}],
      ['cat', 'concatenate', ids, { axis: -1 }],
    ]));
    expect(s).toMatchObject({ sum: [8, 8, 4], prod: [8, 8, 4], cat: [8, 8, 4 * n] });
  });

  const failing: Array<[string, ReturnType<typeof arch>, string, RegExp]> = [
    ['valid kernel too big', arch([input([4, 4, 3]), ['big', 'conv2d', ['in'], conv(8, 5)]]), 'shape', /"big".*padding 'same'/],
    ['conv on a vector', arch([input([4, 4, 3]), ['f', 'flatten', ['in'], {}], ['c2', 'conv2d', ['f'], conv(8)]]), 'shape', /"c2" \(conv2d\).*\[48\]/],
    ['add of unequal channels', arch([input([8, 8, 3]), ['a', 'conv2d', ['in'], conv(8, 1)], ['b', 'conv2d', ['in'], conv(16, 1)], ['sum', 'add', ['a', 'b'], {}]]), 'shape', /"sum".*\[8,8,8\].*\[8,8,16\].*1x1 conv2d/],
    ['add of different ranks', arch([input([8, 8, 3]), ['f', 'flatten', ['in'], {}], ['sum', 'add', ['f', 'in'], {}]]), 'shape', /"sum".*ranks/],
    ['add with one input', arch([input([8]), ['sum', 'add', ['in'], {}]]), 'shape', /"sum".*at least 2/],
    ['concat on the batch axis', arch([input([8]), ['c', 'concatenate', ['in', 'in'], { axis: 0 }]]), 'shape', /"c".*batch/],
    ['concat with spatial mismatch', arch([input([8, 8, 3]), ['p', 'maxPooling2d', ['in'], pool()], ['c', 'concatenate', ['in', 'p'], { axis: -1 }]]), 'shape', /"c".*spatial/],
    ['flatten of a vector', arch([input([8]), ['f', 'flatten', ['in'], {}]]), 'shape', /"f".*remove this flatten/],
    ['pool too big', arch([input([1, 1, 3]), ['p', 'maxPooling2d', ['in'], pool()]]), 'shape', /"p"/],
    ['strides with dilation', arch([input([8, 8, 3]), ['c', 'conv2d', ['in'], conv(4, 3, { strides: [2, 2], dilationRate: [2, 2] })]]), 'unsupported-layer', /"c".*strides or dilationRate/],
    ['dilated depthwise', arch([input([8, 8, 3]), ['c', 'depthwiseConv2d', ['in'], { ...conv(0), depthMultiplier: 1, dilationRate: [2, 2] }]]), 'unsupported-layer', /"c".*depthwiseConv2d/],
  ];
  it.each(failing)('fails with a message naming the node: %s', (_name, a, cls, message) => {
    const r = inferShapes(a);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.failure.class).toBe(cls);
    expect(r.failure.message).toMatch(message);
  });
});
