import * as tf from '@tensorflow/tfjs';

/**
 * A correct gradient for AvgPool with padding. The forward pass divides each window by the
 * number of in-bounds pixels, but tfjs-core's gradient (AvgPoolGrad, on every backend)
 * divides by the full window size, so border pixels get too little gradient. Scaling dy by
 * window/count before AvgPoolGrad makes the two agree.
 */

/** Per output position, how many input pixels its window covers (rows × cols), [outH·outW]. */
export function windowCounts(info: tf.backend_util.Conv2DInfo): Float32Array {
  const counts = new Float32Array(info.outHeight * info.outWidth);
  for (let oy = 0; oy < info.outHeight; oy++) {
    const y0 = oy * info.strideHeight - info.padInfo.top;
    const rows = Math.min(info.inHeight, y0 + info.filterHeight) - Math.max(0, y0);
    for (let ox = 0; ox < info.outWidth; ox++) {
      const x0 = ox * info.strideWidth - info.padInfo.left;
      const cols = Math.min(info.inWidth, x0 + info.filterWidth) - Math.max(0, x0);
      counts[oy * info.outWidth + ox] = Math.max(0, rows) * Math.max(0, cols);
    }
  }
  return counts;
}

const gradConfig: tf.GradConfig = {
  kernelName: 'AvgPool',
  inputsToSave: ['x'],
  gradFunc: (dy, saved, attrs) => {
    const [x] = saved as [tf.Tensor4D];
    const { filterSize, strides, pad, dimRoundingMode } = attrs as unknown as {
      filterSize: [number, number] | number; strides: [number, number] | number; pad: 'same' | 'valid' | number; dimRoundingMode?: 'floor';
    };
    return {
      x: () => tf.tidy(() => {
        const info = tf.backend_util.computePool2DInfo(x.shape, filterSize, strides, 1, pad, dimRoundingMode);
        const full = info.filterHeight * info.filterWidth;
        const counts = windowCounts(info);
        const dy4 = dy as tf.Tensor4D;
        // tfjs does not export the avgPoolGrad op; its kernel takes {dy, input}.
        const grad = (d: tf.Tensor) => tf.engine().runKernel('AvgPoolGrad', { dy: d, input: x }, { filterSize, strides, pad, dimRoundingMode } as unknown as tf.NamedAttrMap) as tf.Tensor4D;
        // TensorFlow's native AvgPoolGrad (tfjs-node) already divides by the in-bounds count.
        if (tf.getBackend() === 'tensorflow' || counts.every((c) => c === full)) return grad(dy4);
        const scale = tf.tensor4d(counts.map((c) => (c > 0 ? full / c : 0)), [1, info.outHeight, info.outWidth, 1]);
        return grad(tf.mul(dy4, scale));
      }),
    };
  },
};

/** Replaces tfjs-core's AvgPool gradient with the corrected one (process-wide, all backends). Idempotent. */
export function registerAvgPoolSameGradient(): string[] {
  if (tf.getGradient('AvgPool') === gradConfig) return ['AvgPool(grad)'];
  tf.unregisterGradient('AvgPool');
  tf.registerGradient(gradConfig);
  return ['AvgPool(grad)'];
}
