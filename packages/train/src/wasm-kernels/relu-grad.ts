import type * as tf from '@tensorflow/tfjs';
import { heapOf } from './wasm-heap.ts';

/** Name of the fused ReLU-gradient kernel (inputs dy, x; output dx), registered for wasm only. */
export const RELU_GRAD_KERNEL = 'NasfleetReluGrad';

/** dx[i] = x[i] > 0 ? dy[i] : 0 — tfjs-core's mul(dy, cast(step(x))) in one pass, no temporaries. */
export function reluGradInto(dy: Float32Array, x: Float32Array, dx: Float32Array): void {
  for (let i = 0; i < dx.length; i++) dx[i] = (x[i] as number) > 0 ? (dy[i] as number) : 0;
}

/** The fused ReLU gradient over the wasm heap (float32 only: the gradient asks for it only then). */
export const wasmReluGrad: tf.KernelFunc = ({ inputs, backend }) => {
  const { dy, x } = inputs as { dy: tf.TensorInfo; x: tf.TensorInfo };
  const heap = heapOf(backend);
  const out = heap.makeOutput([...x.shape], 'float32');
  reluGradInto(heap.typedArrayFromHeap(dy), heap.typedArrayFromHeap(x), heap.typedArrayFromHeap(out));
  return out;
};
