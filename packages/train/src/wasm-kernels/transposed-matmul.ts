import * as tf from '@tensorflow/tfjs';

/**
 * A BatchMatMul (or _FusedMatMul) whose transposed operands are transposed explicitly first.
 * The wasm kernel falls off its fast path when asked to transpose: measured here on
 * [128, 2048]ᵀ × [128, 64] it is ~25× slower than a Transpose followed by a plain product, and
 * every dense layer's gradient asks for exactly that (dW = xᵀ·dy, dx = dy·Wᵀ).
 */
export function explicitTransposeMatMul(original: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const attrs = args.attrs as unknown as { transposeA: boolean; transposeB: boolean };
    if (!attrs.transposeA && !attrs.transposeB) return original(args);
    // The engine hands kernels the op's input tensors themselves.
    const inputs = args.inputs as Record<string, tf.Tensor>;
    const swapLast = (t: tf.Tensor) => tf.transpose(t, [...t.shape.keys()].map((i, _, all) => (i < all.length - 2 ? i : i === all.length - 2 ? all.length - 1 : all.length - 2)));
    const made: tf.Tensor[] = [];
    const a = attrs.transposeA ? (made[made.length] = swapLast(inputs.a!)) : inputs.a!;
    const b = attrs.transposeB ? (made[made.length] = swapLast(inputs.b!)) : inputs.b!;
    try {
      return original({ ...args, inputs: { ...inputs, a, b }, attrs: { ...args.attrs, transposeA: false, transposeB: false } });
    } finally {
      made.forEach((t) => t.dispose());
    }
  };
}
