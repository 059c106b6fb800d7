import * as tf from '@tensorflow/tfjs';
import { heapOf } from './wasm-heap.ts';

/**
 * Sum / Mean over the leading axes in one pass. NHWC training reduces over every axis but the
 * channels (BatchNorm statistics and gradients, conv and dense bias gradients); wasm's kernels
 * first transpose the whole tensor so that those axes come last, then reduce: ~130 ms of a
 * 1.3 s ResNet-ish step. Reading the tensor once, row by row, into a per-channel accumulator
 * needs no copy. Any other reduction goes to the original kernel.
 */

/**
 * How many leading axes `axis` names (k when it is exactly {0, …, k−1} with 0 < k < rank),
 * else 0: a reduction this kernel does not take.
 */
export function leadingAxesCount(axis: number | number[], shape: readonly number[]): number {
  const axes = [...new Set(tf.util.parseAxisParam(axis, [...shape]))].sort((a, b) => a - b);
  if (axes.length === 0 || axes.length >= shape.length) return 0;
  return axes.every((a, i) => a === i) ? axes.length : 0;
}

/**
 * out[j] = Σ_i x[i·inner + j] / divisor for j < inner, i < outer (x is outer × inner, row-major).
 * Accumulates in float64, so it is at least as exact as wasm's float32 sum.
 */
export function sumLeadingInto(x: Float32Array, outer: number, inner: number, out: Float32Array, divisor = 1): void {
  const acc = new Float64Array(inner);
  for (let i = 0, base = 0; i < outer; i++, base += inner) {
    for (let j = 0; j < inner; j++) acc[j] = (acc[j] as number) + (x[base + j] as number);
  }
  for (let j = 0; j < inner; j++) out[j] = (acc[j] as number) / divisor;
}

/** Wraps wasm's Sum (mean = false) or Mean (mean = true) with the one-pass leading-axes path. */
export function leadingAxesReduce(original: tf.KernelFunc, mean: boolean): tf.KernelFunc {
  return (args) => {
    const { x } = args.inputs as { x: tf.TensorInfo };
    const { axis, keepDims } = args.attrs as unknown as { axis: number | number[]; keepDims: boolean };
    const k = leadingAxesCount(axis, x.shape);
    if (x.dtype !== 'float32' || k === 0) return original(args);
    const outer = x.shape.slice(0, k).reduce((a, b) => a * b, 1);
    const inner = x.shape.slice(k).reduce((a, b) => a * b, 1);
    if (outer === 0 || inner === 0) return original(args);
    const heap = heapOf(args.backend);
    const shape = keepDims ? x.shape.map((s, i) => (i < k ? 1 : s)) : x.shape.slice(k);
    // Allocate first: growing the heap detaches views taken before.
    const out = heap.makeOutput(shape, 'float32');
    sumLeadingInto(heap.typedArrayFromHeap(x), outer, inner, heap.typedArrayFromHeap(out), mean ? outer : 1);
    return out;
  };
}
