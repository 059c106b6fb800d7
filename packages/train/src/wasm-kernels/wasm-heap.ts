import type * as tf from '@tensorflow/tfjs';

/**
 * The part of tfjs-backend-wasm's BackendWasm that kernels written in JS over the wasm heap use
 * (its class is not exported in a form worth importing for three methods).
 */
export interface WasmHeapBackend {
  /** Allocates an output on the wasm heap. Growing the heap detaches views taken before it. */
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  /** A live view of a tensor's data on the heap (valid until the next allocation). */
  typedArrayFromHeap(info: tf.TensorInfo): Float32Array;
  /** One more reference to a buffer (an output that shares its input's data, as Reshape does). */
  incRef(dataId: tf.DataId): void;
}

/** The kernel's backend, seen as a wasm heap. */
export function heapOf(backend: unknown): WasmHeapBackend {
  return backend as WasmHeapBackend;
}
