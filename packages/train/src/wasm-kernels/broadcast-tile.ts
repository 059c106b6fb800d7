import * as tf from '@tensorflow/tfjs';

/**
 * A Tile that is a broadcast when it can be. BatchNorm's gradient tiles a [1,1,1,C] tensor
 * to [N,H,W,1]·C; the wasm Tile kernel does that ~25× slower than a broadcast add, so tiles
 * that only repeat size-1 axes become `fill(out, 0) + x` (Fill, not zeros: tf.zeros builds a
 * JS array of the output's size and copies it in); the rest go to the original kernel.
 */

/** True when every repeated axis has size 1, i.e. the tile is a plain broadcast. */
export function isBroadcastTile(shape: readonly number[], reps: readonly number[]): boolean {
  return shape.every((size, i) => (reps[i] ?? 1) === 1 || size === 1);
}

/** Wraps a backend's own Tile kernel with the broadcast fast path. */
export function broadcastTile(original: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    // The engine hands kernels the op's input tensors themselves.
    const { x } = args.inputs as { x: tf.Tensor };
    const { reps } = args.attrs as unknown as { reps: number[] };
    if (x.dtype !== 'float32' || !isBroadcastTile(x.shape, reps)) return original(args);
    const outShape = x.shape.map((s, i) => s * (reps[i] ?? 1));
    return tf.tidy(() => tf.add(tf.fill(outShape, 0, 'float32'), x));
  };
}
