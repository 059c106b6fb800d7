import * as tf from '@tensorflow/tfjs';

/**
 * Sum and Mean gradients without a JS-side `ones` tensor. tfjs-core's are dy · ones(x.shape)
 * (and ÷ n for Mean): `ones` is built as a JS Float32Array of the input's size and then copied
 * into the backend, on every call. BatchNormalization's moments take two Means of each
 * activation, so on the ResNet-ish fixture that allocation was ~200 ms of a ~1.2 s wasm step.
 * Here the full-size operand is a Fill kernel (written in place by the backend) holding 1 or 1/n,
 * and one broadcasting Multiply does the rest. Same values up to float rounding.
 */
const originals = new Map<string, tf.GradConfig>();

function reduceGradient(kernelName: 'Sum' | 'Mean'): tf.GradConfig {
  return {
    kernelName,
    inputsToSave: ['x'],
    gradFunc: (dy, saved, attrs) => {
      const [x] = saved as [tf.Tensor];
      if (Array.isArray(dy)) return originals.get(kernelName)!.gradFunc(dy, saved, attrs);
      const axes = tf.util.parseAxisParam((attrs as unknown as { axis: number | number[] }).axis, x.shape);
      const expanded = x.shape.map((s, i) => (axes.includes(i) ? 1 : s));
      const n = axes.reduce((p, a) => p * (x.shape[a] as number), 1);
      const scale = kernelName === 'Mean' ? 1 / n : 1;
      return { x: () => tf.mul(tf.reshape(dy, expanded), tf.fill(x.shape, scale, 'float32')) };
    },
  };
}

const configs = { Sum: reduceGradient('Sum'), Mean: reduceGradient('Mean') };

/** Installs the Sum and Mean gradients (process-wide, all backends). Idempotent. Returns their names. */
export function registerReduceGradients(): string[] {
  for (const [name, config] of Object.entries(configs)) {
    const current = tf.getGradient(name);
    if (current === config) continue;
    originals.set(name, current);
    tf.unregisterGradient(name);
    tf.registerGradient(config);
  }
  return ['Sum(grad)', 'Mean(grad)'];
}

/** Puts tfjs-core's own Sum and Mean gradients back (for A/B checks). */
export function restoreReduceGradients(): void {
  for (const [name, config] of Object.entries(configs)) {
    const original = originals.get(name);
    if (original && tf.getGradient(name) === config) {
      tf.unregisterGradient(name);
      tf.registerGradient(original);
    }
  }
}
