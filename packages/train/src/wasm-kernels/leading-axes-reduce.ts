import * as tf from '@tensorflow/tfjs';

/**
 * Sum / Mean over the leading axes in one pass. NHWC training reduces over every axis but the
 * channels (BatchNorm statistics and gradients, conv and dense bias gradients); wasm's kernels
 * first transpose the whole tensor so that those axes come last, then reduce. Read as an
 * [outer, inner] matrix, the column sums need no copy: this reads the wasm heap row by row,
 * eight rows per pass over the accumulator (measured here on [128,32,32,16]: 1.2 ms of CPU
 * against wasm's 3.5 ms; one row per pass was no faster than wasm, and a ones·x matmul is slow
 * because XNNPACK packs x as its weight matrix on every call). Anything else goes to wasm.
 */

/** The two methods of tfjs-backend-wasm's BackendWasm a kernel over the heap needs. */
interface WasmHeap {
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(info: tf.TensorInfo): Float32Array;
}

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
 * out[j] = Σ_i x[i·inner + j] / divisor (x is outer × inner, row-major). Eight rows are added in
 * float32 before each float64 accumulation: 8× fewer accumulator loads and stores.
 */
export function sumLeadingInto(x: Float32Array, outer: number, inner: number, out: Float32Array, divisor = 1): void {
  const acc = new Float64Array(inner);
  const end8 = (outer - (outer % 8)) * inner;
  const i1 = inner, i2 = 2 * inner, i3 = 3 * inner, i4 = 4 * inner, i5 = 5 * inner, i6 = 6 * inner, i7 = 7 * inner;
  for (let base = 0; base < end8; base += 8 * inner) {
    for (let j = 0; j < inner; j++) {
      const p = base + j;
      const s = ((x[p]! + x[p + i1]!) + (x[p + i2]! + x[p + i3]!)) + ((x[p + i4]! + x[p + i5]!) + (x[p + i6]! + x[p + i7]!));
      acc[j] = acc[j]! + s;
    }
  }
  for (let base = end8; base < outer * inner; base += inner) {
    for (let j = 0; j < inner; j++) acc[j] = acc[j]! + x[base + j]!;
  }
  for (let j = 0; j < inner; j++) out[j] = acc[j]! / divisor;
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
    const heap = args.backend as unknown as WasmHeap;
    const shape = keepDims ? x.shape.map((s, i) => (i < k ? 1 : s)) : x.shape.slice(k);
    // Allocate first: growing the heap detaches views taken before.
    const out = heap.makeOutput(shape, 'float32');
    sumLeadingInto(heap.typedArrayFromHeap(x), outer, inner, heap.typedArrayFromHeap(out), mean ? outer : 1);
    return out;
  };
}
