import type * as tf from '@tensorflow/tfjs';

/**
 * An Identity that shares its input's buffer instead of copying it, as Reshape already does on
 * wasm and Identity does on the cpu backend; and a Cast that does the same when the dtype does
 * not change (tfjs-core's cast, e.g. in the Relu gradient, runs the kernel even then, and wasm's
 * copies). Tensors are immutable (a Variable's assign swaps buffers, it never writes into one),
 * so sharing is safe. A training step of the ResNet-ish fixture runs ~170 Identities and ~20
 * same-dtype Casts, ~35 ms of copies.
 */

/** The one method of tfjs-backend-wasm's BackendWasm this needs (Reshape uses it the same way). */
interface RefCountedBackend {
  incRef(dataId: tf.DataId): void;
}

/** Wraps wasm's Identity or Cast: same-dtype calls share the buffer, the rest go to the original. */
export function identityView(original: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const { x } = args.inputs as { x: tf.TensorInfo };
    const { dtype } = (args.attrs ?? {}) as { dtype?: tf.DataType };
    if (x.dtype === 'string' || (dtype !== undefined && dtype !== x.dtype)) return original(args);
    (args.backend as unknown as RefCountedBackend).incRef(x.dataId);
    return { dataId: x.dataId, shape: [...x.shape], dtype: x.dtype };
  };
}
