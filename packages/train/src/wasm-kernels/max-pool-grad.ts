import * as tf from '@tensorflow/tfjs';

/**
 * A correct MaxPoolGrad. The wasm backend's own one silently drops the gradient when a
 * window's maximum is negative and routes ties to the last maximum; TensorFlow routes each
 * window's gradient to its first maximum (row-major), which is what this does.
 */

/** Pooling geometry as tfjs computes it (so 'same' pads exactly as the forward pass did). */
export interface PoolGeometry {
  batch: number; inH: number; inW: number; channels: number; outH: number; outW: number;
  fH: number; fW: number; sH: number; sW: number; padTop: number; padLeft: number;
}

/** Geometry of a 2D max pool over an NHWC input. */
export function poolGeometry(
  xShape: readonly number[],
  filterSize: number | [number, number],
  strides: number | [number, number],
  pad: unknown,
  dimRoundingMode?: unknown,
): PoolGeometry {
  const info = tf.backend_util.computePool2DInfo(
    xShape as [number, number, number, number], filterSize, strides, 1, pad as 'same', dimRoundingMode as 'floor' | undefined,
  );
  return {
    batch: info.batchSize, inH: info.inHeight, inW: info.inWidth, channels: info.inChannels,
    outH: info.outHeight, outW: info.outWidth, fH: info.filterHeight, fW: info.filterWidth,
    sH: info.strideHeight, sW: info.strideWidth, padTop: info.padInfo.top, padLeft: info.padInfo.left,
  };
}

/**
 * dx for a max pool: each output's dy goes to the first (row-major) maximum of its window.
 * `dx` must be zero-filled with the input's size.
 */
export function maxPoolGradInto(g: PoolGeometry, x: Float32Array, dy: Float32Array, dx: Float32Array): void {
  const { channels: c, inH, inW } = g;
  for (let b = 0; b < g.batch; b++) {
    const xBase = b * inH * inW * c;
    for (let oy = 0; oy < g.outH; oy++) {
      const y0 = oy * g.sH - g.padTop;
      const yStart = Math.max(0, y0);
      const yEnd = Math.min(inH, y0 + g.fH);
      for (let ox = 0; ox < g.outW; ox++) {
        const x0 = ox * g.sW - g.padLeft;
        const xStart = Math.max(0, x0);
        const xEnd = Math.min(inW, x0 + g.fW);
        const dyBase = ((b * g.outH + oy) * g.outW + ox) * c;
        for (let ch = 0; ch < c; ch++) {
          let best = -Infinity;
          let bestIdx = -1;
          for (let yy = yStart; yy < yEnd; yy++) {
            for (let xx = xStart; xx < xEnd; xx++) {
              const idx = xBase + (yy * inW + xx) * c + ch;
              const v = x[idx] as number;
              // Strict '>' keeps the first maximum; NaN never wins, as in TensorFlow.
              if (v > best || bestIdx < 0) {
                best = v;
                bestIdx = idx;
              }
            }
          }
          if (bestIdx >= 0) dx[bestIdx] = (dx[bestIdx] as number) + (dy[dyBase + ch] as number);
        }
      }
    }
  }
}

interface WasmLikeBackend {
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(info: tf.TensorInfo): Float32Array;
}

/** Kernel function for MaxPoolGrad on the wasm backend: reads and writes the wasm heap in place. */
export const wasmMaxPoolGrad: tf.KernelFunc = ({ inputs, backend, attrs }) => {
  const { dy, input } = inputs as { dy: tf.TensorInfo; input: tf.TensorInfo };
  const { filterSize, strides, pad, dimRoundingMode } = attrs as unknown as {
    filterSize: number | [number, number]; strides: number | [number, number]; pad: unknown; dimRoundingMode?: unknown;
  };
  const wasm = backend as unknown as WasmLikeBackend;
  const g = poolGeometry(input.shape, filterSize, strides, pad, dimRoundingMode);
  // Allocate first: growing the heap detaches views taken before.
  const out = wasm.makeOutput([...input.shape], 'float32');
  const dx = wasm.typedArrayFromHeap(out);
  dx.fill(0);
  maxPoolGradInto(g, wasm.typedArrayFromHeap(input), wasm.typedArrayFromHeap(dy), dx);
  return out;
};
