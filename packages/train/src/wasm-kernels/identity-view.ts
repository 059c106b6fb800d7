import type * as tf from '@tensorflow/tfjs';
import { heapOf } from './wasm-heap.ts';

/**
 * An Identity that shares its input's buffer instead of copying it, as Reshape already does on
 * wasm and Identity does on the cpu backend. Tensors are immutable (a Variable's assign swaps
 * buffers, it never writes into one), so sharing is safe. A training step of the ResNet-ish
 * fixture runs ~170 Identities (clone, gradient plumbing), ~34 ms of copies on wasm.
 */
export function identityView(original: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const { x } = args.inputs as { x: tf.TensorInfo };
    if (x.dtype === 'string') return original(args);
    heapOf(args.backend).incRef(x.dataId);
    return { dataId: x.dataId, shape: [...x.shape], dtype: x.dtype };
  };
}
