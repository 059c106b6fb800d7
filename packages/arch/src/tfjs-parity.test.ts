import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '@nasfleet/contracts';
import type { Architecture } from './arch-schema.ts';
import { checkArchitecture } from './check-architecture.ts';
import { printCode } from './print-code.ts';
import { initialArchitecture, randomArchitecture } from './random-architecture.ts';
import { arch, bn, conv, dense, pool } from './test-fixtures.ts';

type Build = (t: typeof tf, inputShape: number[], numClasses: number) => tf.LayersModel;

/** Run printed code against real TF.js: it is plain JS defining buildModel. */
function build(a: Architecture, inputShape: number[], numClasses: number): tf.LayersModel {
  const make = new Function(`${printCode(a)}\nreturn buildModel;`) as () => Build;
  return make()(tf, inputShape, numClasses);
}

beforeAll(async () => {
  // tfjs's own flag for test runs: no "install our node backend" banner on the cpu backend's first use.
  tf.env().set('IS_TEST', true);
  await tf.setBackend('cpu');
});

const every = arch([
  ['in', 'input', [], { shape: [16, 16, 3] }],
  ['pad', 'zeroPadding2d', ['in'], { padding: [[1, 1], [2, 0]] }],
  ['c', 'conv2d', ['pad'], conv(8, 3, { strides: [2, 2], activation: 'relu' })],
  ['b', 'batchNormalization', ['c'], bn],
  ['dw', 'depthwiseConv2d', ['b'], { ...conv(0), padding: 'same', depthMultiplier: 2, useBias: false }],
  ['sp', 'separableConv2d', ['dw'], { ...conv(8, 3, { padding: 'same', dilationRate: [2, 2] }), depthMultiplier: 1 }],
  ['sum', 'add', ['sp', 'c'], {}],
  ['m', 'multiply', ['sum', 'b'], {}],
  ['cat', 'concatenate', ['m', 'dw'], { axis: -1 }],
  ['p', 'averagePooling2d', ['cat'], pool(3, 2, 'same')],
  ['mp', 'maxPooling2d', ['p'], pool(2, 1)],
  ['gap', 'globalMaxPooling2d', ['mp'], {}],
  ['f', 'flatten', ['mp'], {}],
  ['d', 'dense', ['f'], dense(12, { activation: 'gelu' })],
  ['x', 'dropout', ['d'], { rate: 0.3 }],
  ['j', 'concatenate', ['x', 'gap'], { axis: -1 }],
  ['r', 'activation', ['j'], { activation: 'swish' }],
  ['o', 'dense', ['r'], dense(5, { activation: 'softmax' })],
]);

describe('parity with TF.js (cpu backend)', () => {
  it('matches countParams, trainable weights and output shape for a graph using every op', () => {
    const checked = checkArchitecture(every, { numClasses: 5 });
    expect(checked.ok).toBe(true);
    if (!checked.ok) return;
    const model = build(every, [16, 16, 3], 5);
    expect(checked.report.params).toBe(model.countParams());
    const trainable = model.trainableWeights.reduce((s, w) => s + (w.shape as number[]).reduce((a, b) => a * b, 1), 0);
    expect(checked.report.trainableParams).toBe(trainable);
    expect(model.outputs[0]?.shape).toEqual([null, 5]);
    model.dispose();
  });

  it('matches TF.js layer by layer on sequential nets (seed and random ones)', () => {
    const ctx = { inputShape: [32, 32, 3], numClasses: 10 };
    const rng = Rng.fromSeed(7);
    const nets = [initialArchitecture(ctx), ...Array.from({ length: 4 }, () => randomArchitecture(rng, ctx))];
    for (const a of nets) {
      const checked = checkArchitecture(a, ctx);
      expect(checked.ok).toBe(true);
      if (!checked.ok) continue;
      const model = build(a, ctx.inputShape, ctx.numClasses);
      expect(model.countParams()).toBe(checked.report.params);
      if (printCode(a).includes('tf.sequential')) {
        model.layers.forEach((l, i) => expect(l.outputShape.slice(1)).toEqual(checked.report.shapes[a.nodes[i + 1]?.id as string]));
      }
      model.dispose();
    }
  });
});
