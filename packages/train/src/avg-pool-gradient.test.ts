import * as tf from '@tensorflow/tfjs';
import { Rng } from '@nasfleet/contracts';
import { describe, expect, it } from 'vitest';
import { selectBackend } from './backend.ts';
import { maxRelDiff, randomArray } from './test-helpers.ts';

/** dL/dx for L = Σ avgPool(x)·w by an explicit loop, dividing by in-bounds pixels as the forward does. */
function avgPoolGradByLoop(h: number, wd: number, k: number, s: number, pad: 'same' | 'valid', w: Float32Array): Float32Array {
  const oh = pad === 'same' ? Math.ceil(h / s) : Math.floor((h - k) / s) + 1;
  const ow = pad === 'same' ? Math.ceil(wd / s) : Math.floor((wd - k) / s) + 1;
  const pt = pad === 'same' ? Math.floor(Math.max(0, (oh - 1) * s + k - h) / 2) : 0;
  const pl = pad === 'same' ? Math.floor(Math.max(0, (ow - 1) * s + k - wd) / 2) : 0;
  const dx = new Float32Array(h * wd);
  for (let oy = 0; oy < oh; oy++) for (let ox = 0; ox < ow; ox++) {
    const cells: number[] = [];
    for (let ky = 0; ky < k; ky++) for (let kx = 0; kx < k; kx++) {
      const y = oy * s + ky - pt;
      const x = ox * s + kx - pl;
      if (y >= 0 && y < h && x >= 0 && x < wd) cells.push(y * wd + x);
    }
    for (const i of cells) dx[i] = (dx[i] as number) + (w[oy * ow + ox] as number) / cells.length;
  }
  return dx;
}

describe('AvgPool gradient', () => {
  for (const backend of ['cpu', 'wasm'] as const) {
    it.each([[7, 3, 1, 'same'], [8, 3, 2, 'same'], [9, 2, 2, 'same'], [7, 3, 2, 'valid']] as const)(
      `${backend}: input %i, window %i, stride %i, %s matches the explicit loop`,
      async (h, k, s, pad) => {
        await selectBackend({ prefer: backend });
        const rng = Rng.fromSeed(h * 10 + k);
        const x = randomArray(rng, h * h);
        const oh = pad === 'same' ? Math.ceil(h / s) : Math.floor((h - k) / s) + 1;
        const w = randomArray(rng, oh * oh);
        const got = tf.tidy(() => tf.grad((t: tf.Tensor) =>
          tf.sum(tf.mul(tf.avgPool(t as tf.Tensor4D, k, s, pad), tf.tensor4d(w, [1, oh, oh, 1]))))(tf.tensor4d(x, [1, h, h, 1])).dataSync());
        expect(maxRelDiff(got, avgPoolGradByLoop(h, h, k, s, pad, w))).toBeLessThan(1e-6);
      },
    );
  }
});
