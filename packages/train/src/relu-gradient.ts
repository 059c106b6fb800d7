import * as tf from '@tensorflow/tfjs';
import { RELU_GRAD_KERNEL } from './wasm-kernels/relu-grad.ts';

/**
 * A Relu gradient that is one kernel where the backend has the fused one (wasm, registered by
 * `registerWasmTrainingKernels`): tfjs-core's mul(dy, cast(step(x), 'float32')) runs three
 * kernels and two temporaries of the activation's size. Elsewhere, and for non-float inputs, it
 * is tfjs-core's own gradient.
 */
let original: tf.GradConfig | undefined;

const gradConfig: tf.GradConfig = {
  kernelName: 'Relu',
  inputsToSave: ['x'],
  gradFunc: (dy, saved, attrs) => {
    const [x] = saved as [tf.Tensor];
    const fused = !Array.isArray(dy) && x.dtype === 'float32' && dy.dtype === 'float32' && tf.getKernel(RELU_GRAD_KERNEL, tf.getBackend()) !== undefined;
    if (!fused) return original!.gradFunc(dy, saved, attrs);
    return { x: () => tf.engine().runKernel(RELU_GRAD_KERNEL, { dy: dy as tf.Tensor, x }, {}) as tf.Tensor };
  },
};

/** Installs the fused-when-possible Relu gradient (process-wide, all backends). Idempotent. */
export function registerReluGradient(): string[] {
  const current = tf.getGradient('Relu');
  if (current !== gradConfig) {
    original = current;
    tf.unregisterGradient('Relu');
    tf.registerGradient(gradConfig);
  }
  return ['Relu(grad)'];
}

/** Puts tfjs-core's own Relu gradient back (for A/B checks). */
export function restoreReluGradient(): void {
  if (original && tf.getGradient('Relu') === gradConfig) {
    tf.unregisterGradient('Relu');
    tf.registerGradient(original);
  }
}
