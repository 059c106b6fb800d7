import * as tf from '@tensorflow/tfjs';
import { Rng } from '@nasfleet/contracts';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../backend.ts';
import { maxRelDiff, onBackend, randomArray } from '../test-helpers.ts';

type Shape4 = [number, number, number, number];

interface Case { h: number; w: number; cin: number; k: number; s: number; pad: 'same' | 'valid'; d: number; m: number }

const CASES: Case[] = [];
for (const k of [1, 3, 5]) {
  for (const s of [1, 2]) {
    for (const pad of ['same', 'valid'] as const) CASES.push({ h: 9, w: 8, cin: 3, k, s, pad, d: 1, m: k === 3 ? 2 : 1 });
  }
}
// Dilated (stride 1: tfjs forbids both > 1) and odd shapes.
CASES.push({ h: 11, w: 10, cin: 2, k: 3, s: 1, pad: 'same', d: 2, m: 2 }, { h: 12, w: 9, cin: 2, k: 3, s: 1, pad: 'valid', d: 3, m: 1 });
CASES.push({ h: 7, w: 13, cin: 4, k: 5, s: 2, pad: 'same', d: 1, m: 3 }, { h: 6, w: 6, cin: 1, k: 3, s: 2, pad: 'valid', d: 1, m: 1 });

function outSize(n: number, c: Case): number {
  const eff = (c.k - 1) * c.d + 1;
  return c.pad === 'same' ? Math.ceil(n / c.s) : Math.floor((n - eff) / c.s) + 1;
}

/**
 * Explicit-loop depthwise gradients (the cpu backend ignores dilations in its backprop loops,
 * so it cannot be the reference for dilated cases).
 */
function depthwiseGradsByLoop(c: Case, b: number, x: Float32Array, w: Float32Array, dy: Float32Array): { dW: Float32Array; dX: Float32Array } {
  const oh = outSize(c.h, c);
  const ow = outSize(c.w, c);
  const eff = (c.k - 1) * c.d + 1;
  const padT = c.pad === 'same' ? Math.floor(Math.max(0, (oh - 1) * c.s + eff - c.h) / 2) : 0;
  const padL = c.pad === 'same' ? Math.floor(Math.max(0, (ow - 1) * c.s + eff - c.w) / 2) : 0;
  const dW = new Float32Array(c.k * c.k * c.cin * c.m);
  const dX = new Float32Array(b * c.h * c.w * c.cin);
  for (let n = 0; n < b; n++) for (let oy = 0; oy < oh; oy++) for (let ox = 0; ox < ow; ox++) {
    for (let ky = 0; ky < c.k; ky++) for (let kx = 0; kx < c.k; kx++) {
      const iy = oy * c.s + ky * c.d - padT;
      const ix = ox * c.s + kx * c.d - padL;
      if (iy < 0 || iy >= c.h || ix < 0 || ix >= c.w) continue;
      for (let ci = 0; ci < c.cin; ci++) for (let mm = 0; mm < c.m; mm++) {
        const g = dy[((n * oh + oy) * ow + ox) * c.cin * c.m + ci * c.m + mm] as number;
        const xi = ((n * c.h + iy) * c.w + ix) * c.cin + ci;
        const wi = ((ky * c.k + kx) * c.cin + ci) * c.m + mm;
        dW[wi] = (dW[wi] as number) + g * (x[xi] as number);
        dX[xi] = (dX[xi] as number) + g * (w[wi] as number);
      }
    }
  }
  return { dW, dX };
}

/** Runs one kernel on a backend and returns its values. */
async function kernel(backend: string, name: string, inputs: Record<string, [Float32Array, number[]]>, attrs: object): Promise<Float32Array> {
  return onBackend(backend, () => tf.tidy(() => {
    const ins = Object.fromEntries(Object.entries(inputs).map(([k, [v, s]]) => [k, tf.tensor(v, s)]));
    const out = tf.engine().runKernel(name, ins, attrs as tf.NamedAttrMap) as tf.Tensor;
    return out.dataSync() as Float32Array;
  }));
}

describe('wasm training kernels match the cpu backend', () => {
  beforeAll(async () => {
    const sel = await selectBackend({ prefer: 'wasm' });
    expect(sel.kind).toBe('wasm');
  });

  it.each(CASES)('conv2d + depthwise backprops: %o', async (c) => {
    const rng = Rng.fromSeed(c.h * 100 + c.k * 10 + c.s + c.d);
    const b = 2;
    const cout = 4;
    const oh = outSize(c.h, c);
    const ow = outSize(c.w, c);
    const xShape: Shape4 = [b, c.h, c.w, c.cin];
    const x = randomArray(rng, b * c.h * c.w * c.cin);
    const dw = randomArray(rng, c.k * c.k * c.cin * c.m);
    const ddy = randomArray(rng, b * oh * ow * c.cin * c.m);
    const dwAttrs = { strides: [c.s, c.s], pad: c.pad, dilations: [c.d, c.d], filterShape: [c.k, c.k, c.cin, c.m], inputShape: xShape };
    const loop = depthwiseGradsByLoop(c, b, x, dw, ddy);
    for (const [name, inputs, want] of [
      ['DepthwiseConv2dNativeBackpropFilter', { x: [x, xShape], dy: [ddy, [b, oh, ow, c.cin * c.m]] }, loop.dW],
      ['DepthwiseConv2dNativeBackpropInput', { dy: [ddy, [b, oh, ow, c.cin * c.m]], filter: [dw, [c.k, c.k, c.cin, c.m]] }, loop.dX],
    ] as const) {
      if (c.d === 1) expect(maxRelDiff(await kernel('cpu', name, inputs as never, dwAttrs), want), `cpu ${name}`).toBeLessThan(1e-5);
      const got = await kernel('wasm', name, inputs as never, dwAttrs);
      expect(got.length).toBe(want.length);
      expect(maxRelDiff(got, want), name).toBeLessThan(1e-5);
    }
    if (c.d !== 1) return; // conv2d gradients carry no dilations in tfjs
    const w = randomArray(rng, c.k * c.k * c.cin * cout);
    const dy = randomArray(rng, b * oh * ow * cout);
    const attrs = { strides: [c.s, c.s], pad: c.pad, dataFormat: 'NHWC', filterShape: [c.k, c.k, c.cin, cout], inputShape: xShape };
    for (const [name, inputs] of [
      ['Conv2DBackpropFilter', { x: [x, xShape], dy: [dy, [b, oh, ow, cout]] }],
      ['Conv2DBackpropInput', { dy: [dy, [b, oh, ow, cout]], filter: [w, [c.k, c.k, c.cin, cout]] }],
    ] as const) {
      const want = await kernel('cpu', name, inputs as never, attrs);
      const got = await kernel('wasm', name, inputs as never, attrs);
      expect(got.length).toBe(want.length);
      expect(maxRelDiff(got, want), name).toBeLessThan(1e-5);
    }
  });

  it('trains a fused conv + depthwise graph to the same gradients as cpu', async () => {
    const rng = Rng.fromSeed(7);
    const x = randomArray(rng, 2 * 10 * 10 * 3);
    const w1 = randomArray(rng, 3 * 3 * 3 * 4);
    const w2 = randomArray(rng, 3 * 3 * 4 * 2);
    const grads = (backend: string) => onBackend(backend, () => tf.tidy(() => {
      const xs = tf.tensor4d(x, [2, 10, 10, 3]);
      const g = tf.grads((a: tf.Tensor, bb: tf.Tensor) => {
        const h = tf.fused.conv2d({ x: xs, filter: a as tf.Tensor4D, strides: 2, pad: 'same', activation: 'relu', bias: tf.ones([4]) });
        return tf.sum(tf.square(tf.depthwiseConv2d(h, bb as tf.Tensor4D, 1, 'valid')));
      })([tf.tensor4d(w1, [3, 3, 3, 4]), tf.tensor4d(w2, [3, 3, 4, 2])]);
      return g.map((t) => t.dataSync() as Float32Array);
    }));
    const want = await grads('cpu');
    const got = await grads('wasm');
    for (let i = 0; i < 2; i++) expect(maxRelDiff(got[i] as Float32Array, want[i] as Float32Array)).toBeLessThan(1e-4);
  });
});

describe('MaxPoolGrad on wasm', () => {
  it('routes gradients to the first maximum, also when maxima are negative', async () => {
    await selectBackend({ prefer: 'wasm' });
    // Negative windows, ties (two equal maxima per window) and 'same' padding at the border.
    const x = new Float32Array([-5, -1, -1, -3, -2, -7, -4, -4, -9, -1, -6, -6, -8, -2, -3, -3]);
    const dy = [1, 2, 3, 4];
    const run = () => tf.tidy(() => {
      const xs = tf.tensor4d(x, [1, 4, 4, 1]);
      return tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.maxPool(t as tf.Tensor4D, 2, 2, 'same'), tf.tensor4d(dy, [1, 2, 2, 1]))))(xs).dataSync();
    });
    const got = Array.from(run());
    // Explicit loop: windows [0,1,4,5], [2,3,6,7], [8,9,12,13], [10,11,14,15]; first max of each.
    const expected = new Array(16).fill(0);
    for (const [o, idx] of [[0, 0], [1, 1], [2, 2], [3, 3]] as const) {
      const r = Math.floor(o / 2) * 2;
      const cc = (o % 2) * 2;
      const win = [r * 4 + cc, r * 4 + cc + 1, (r + 1) * 4 + cc, (r + 1) * 4 + cc + 1];
      let best = win[0] as number;
      for (const i of win) if ((x[i] as number) > (x[best] as number)) best = i;
      expected[best] += dy[idx] as number;
    }
    expect(got).toEqual(expected);
    expect(got.filter((v) => v !== 0)).toHaveLength(4);
    // And against cpu on a random tensor with 3×3 windows, stride 2, 'same'.
    const rng = Rng.fromSeed(3);
    const big = randomArray(rng, 2 * 9 * 7 * 3).map((v) => Math.round(v * 3) - 2); // many ties, mostly negative
    const g = (backend: string) => onBackend(backend, () => tf.tidy(() =>
      tf.grad((t: tf.Tensor) => tf.sum(tf.maxPool(t as tf.Tensor4D, 3, 2, 'same')))(tf.tensor4d(big, [2, 9, 7, 3])).dataSync()));
    const want = await g('cpu');
    expect(Array.from(await g('wasm'))).toEqual(Array.from(want));
  });
});

describe('Tile on wasm', () => {
  it('broadcast tiles and general tiles give the cpu result', async () => {
    await selectBackend({ prefer: 'wasm' });
    const rng = Rng.fromSeed(5);
    const v = randomArray(rng, 6);
    for (const [shape, reps] of [[[1, 1, 1, 6], [2, 3, 4, 1]], [[2, 3], [2, 2]], [[1, 6], [3, 1]]] as const) {
      const t = (backend: string) => onBackend(backend, () => tf.tidy(() => tf.tile(tf.tensor(v, [...shape]), [...reps]).dataSync()));
      expect(Array.from(await t('wasm'))).toEqual(Array.from(await t('cpu')));
    }
  });
});
