import { describe, expect, it } from 'vitest';
import { countCost } from './count-cost.ts';
import { computeDescriptors, descriptorVector } from './descriptors.ts';
import { inferShapes } from './infer-shapes.ts';
import { arch, bn, conv, dense, pool } from './test-fixtures.ts';

function cost(a: ReturnType<typeof arch>) {
  const r = inferShapes(a);
  if (!r.ok) throw new Error(r.failure.message);
  return { ...countCost(a, r.shapes), shapes: r.shapes };
}

describe('countCost', () => {
  it('counts conv and dense multiply-adds the NAS-Bench-201 way (hand-computed)', () => {
    const c = cost(arch([
      ['in', 'input', [], { shape: [32, 32, 3] }],
      ['c', 'conv2d', ['in'], conv(16, 3, { padding: 'same' })], // 3*3*3*16*32*32 = 442368
      ['b', 'batchNormalization', ['c'], bn], // 0
      ['p', 'maxPooling2d', ['b'], pool()], // 0
      ['dw', 'depthwiseConv2d', ['p'], { ...conv(0), depthMultiplier: 2 }], // 3*3*32*14*14 = 56448
      ['sp', 'separableConv2d', ['dw'], { ...conv(8, 3), depthMultiplier: 1 }], // (3*3*32 + 32*8)*12*12 = 78336
      ['g', 'globalAveragePooling2d', ['sp'], {}],
      ['d', 'dense', ['g'], dense(10)], // 8*10 + 10 = 90
    ]));
    expect(c.nodes.c?.flops).toBe(442368);
    expect(c.nodes.b?.flops).toBe(0);
    expect(c.nodes.dw?.flops).toBe(56448);
    expect(c.nodes.sp?.flops).toBe(78336);
    expect(c.nodes.d?.flops).toBe(90);
    expect(c.flops).toBe(442368 + 56448 + 78336 + 90);
    // params: conv 3*3*3*16+16, BN 4*16 (2*16 trainable), dw 3*3*32+32, sep 3*3*32+32*8+8, dense 8*10+10
    expect(c.nodes.c?.params).toBe(448);
    expect(c.nodes.b).toMatchObject({ params: 64, trainableParams: 32 });
    expect(c.params).toBe(448 + 64 + 320 + 552 + 90);
    expect(c.trainableParams).toBe(c.params - 32);
  });

  it('counts dense on a rank-3 input per position, and activation memory sum and peak', () => {
    const c = cost(arch([
      ['in', 'input', [], { shape: [4, 4, 2] }], // 32 elements
      ['d', 'dense', ['in'], dense(3)], // 48 elements; flops (2*3+3)*16 = 144
      ['e', 'dense', ['in'], dense(3, { useBias: false })], // 48; flops 2*3*16 = 96
      ['s', 'add', ['d', 'e'], {}], // 48
      ['f', 'flatten', ['s'], {}], // 48
      ['o', 'dense', ['f'], dense(2)], // 2
    ]));
    expect(c.nodes.d?.flops).toBe(144);
    expect(c.nodes.e?.flops).toBe(96);
    expect(c.activationBytes).toBe((32 + 48 * 4 + 2) * 4);
    // in+d+e alive (128), then add: in freed after e, so d+e+s = 144 is the peak.
    expect(c.peakActivationBytes).toBe(144 * 4);
  });

  it('leaves dead nodes out of cost and descriptors', () => {
    const a = arch([
      ['in', 'input', [], { shape: [8] }],
      ['dead', 'dense', ['in'], dense(1000)],
      ['o', 'dense', ['in'], dense(4)],
    ]);
    const c = cost(a);
    expect(c.nodes.dead).toBeUndefined();
    expect(c.params).toBe(36);
    expect(computeDescriptors(a, c.shapes, c.flops)).toEqual({ width: 4, depth: 1, widthToDepth: 4, flops: 36 });
  });
});

describe('computeDescriptors', () => {
  it('takes width over conv/dense outputs and counts depth without input, activation, dropout and BN', () => {
    const a = arch([
      ['in', 'input', [], { shape: [8, 8, 3] }],
      ['c', 'conv2d', ['in'], conv(64, 1)],
      ['b', 'batchNormalization', ['c'], bn],
      ['r', 'activation', ['b'], { activation: 'relu' }],
      ['p', 'maxPooling2d', ['r'], pool()],
      ['f', 'flatten', ['p'], {}], // 1024 features: not a width
      ['x', 'dropout', ['f'], { rate: 0.1 }],
      ['d', 'dense', ['x'], dense(32)],
      ['o', 'dense', ['d'], dense(10)],
    ]);
    const c = cost(a);
    const d = computeDescriptors(a, c.shapes, c.flops);
    expect(d).toMatchObject({ width: 64, depth: 5, widthToDepth: 64 / 5 });
    expect(descriptorVector(d)).toEqual([64 / 5, c.flops]);
  });

  it('counts a merge of 6 inputs: every branch, the summed channels and the peak with all branches alive', () => {
    const ids = ['b0', 'b1', 'b2', 'b3', 'b4', 'b5'];
    const c = cost(arch([
      ['in', 'input', [], { shape: [4, 4, 2] }], // 32 elements
      ...ids.map((id): [string, 'conv2d', string[], Record<string, unknown>] => [id, 'conv2d', ['in'], conv(3, 1)]), // 48 elements each; params 2*3+3
      ['cat', 'concatenate', ids, { axis: -1 }], // [4,4,18]: 288 elements
      ['g', 'globalAveragePooling2d', ['cat'], {}], // 18
      ['o', 'dense', ['g'], dense(5)], // 18*5+5 params
    ]));
    expect(c.shapes.cat).toEqual([4, 4, 18]);
    expect(c.params).toBe(6 * 9 + 95);
    expect(c.flops).toBe(6 * 2 * 3 * 16 + 18 * 5 + 5);
    // All six branches (the input freed after the last) and the concatenation are alive at once.
    expect(c.peakActivationBytes).toBe((6 * 48 + 288) * 4);
  });
});
