import type * as tf from '@tensorflow/tfjs';
import { heapOf } from './wasm-heap.ts';

/**
 * Name of the fused SGD-momentum kernel: inputs v (weight), g (gradient), vel (velocity); attrs
 * learningRate, momentum, weightDecay; outputs [v', vel']. Registered for wasm only.
 */
export const SGD_MOMENTUM_KERNEL = 'NasfleetSgdMomentum';

/** Attributes of the fused SGD-momentum kernel. */
export interface SgdMomentumAttrs {
  learningRate: number;
  momentum: number;
  /** Coupled L2 (added to the gradient, as PyTorch's SGD weight_decay); 0 for biases and BN. */
  weightDecay: number;
}

/**
 * PyTorch's SGD step in one pass: vel' = m·vel + (g + wd·v), v' = v − lr·vel'. Writes into
 * `vOut` / `velOut` (which may not alias the inputs).
 */
export function sgdMomentumInto(v: Float32Array, g: Float32Array, vel: Float32Array, vOut: Float32Array, velOut: Float32Array, a: SgdMomentumAttrs): void {
  const { learningRate: lr, momentum: m, weightDecay: wd } = a;
  for (let i = 0; i < v.length; i++) {
    const w = v[i] as number;
    const nv = m * (vel[i] as number) + (g[i] as number) + wd * w;
    velOut[i] = nv;
    vOut[i] = w - lr * nv;
  }
}

/** The fused SGD-momentum kernel over the wasm heap. */
export const wasmSgdMomentum: tf.KernelFunc = ({ inputs, backend, attrs }) => {
  const { v, g, vel } = inputs as { v: tf.TensorInfo; g: tf.TensorInfo; vel: tf.TensorInfo };
  const heap = heapOf(backend);
  // Allocate both before taking any view: an allocation may grow the heap and detach views.
  const vOut = heap.makeOutput([...v.shape], 'float32');
  const velOut = heap.makeOutput([...v.shape], 'float32');
  sgdMomentumInto(
    heap.typedArrayFromHeap(v), heap.typedArrayFromHeap(g), heap.typedArrayFromHeap(vel),
    heap.typedArrayFromHeap(vOut), heap.typedArrayFromHeap(velOut), attrs as unknown as SgdMomentumAttrs,
  );
  return [vOut, velOut];
};
