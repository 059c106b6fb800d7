import * as tf from '@tensorflow/tfjs';
import { convAxes, filterGradPads, inputGradPads, padOrCrop4d, zeroInsert } from './conv-geometry.ts';

/**
 * Conv2D gradients composed from ordinary convolutions, for backends (wasm) that lack them
 * or whose native version is slow. NHWC only; dilations are not part of these kernels' attrs
 * (tfjs-core refuses dilated conv2d gradients before it gets here).
 */

interface Conv2DBackpropAttrs {
  strides: number | [number, number];
  pad: unknown;
  dataFormat?: string;
  dimRoundingMode?: unknown;
}

function assertNhwc(dataFormat: string | undefined): void {
  if (dataFormat !== undefined && dataFormat !== 'NHWC') {
    throw new Error(`composed conv2d gradient supports NHWC only, got ${dataFormat}`);
  }
}

/**
 * dW[kh,kw,ci,co] = Σ x[b, oy·s + kh − p, ..., ci] · dy[b,oy,ox,co], computed as a conv2d of
 * x with channels and batch swapped (ci becomes the batch, b the input channel) by dy used as a
 * filter dilated by the stride.
 */
export function conv2dBackpropFilter(
  x: tf.Tensor4D,
  dy: tf.Tensor4D,
  filterShape: [number, number, number, number],
  attrs: Conv2DBackpropAttrs,
): tf.Tensor4D {
  assertNhwc(attrs.dataFormat);
  const g = convAxes(x.shape, filterShape, attrs.strides, 1, attrs.pad, attrs.dimRoundingMode, false);
  return tf.tidy(() => {
    const [top, bottom, left, right] = filterGradPads(g);
    const xt = padOrCrop4d(tf.transpose(x, [3, 1, 2, 0]), top, bottom, left, right); // [ci, H', W', b]
    const f = tf.transpose(dy, [1, 2, 0, 3]); // [oh, ow, b, co]
    const out = tf.conv2d(xt, f, 1, 'valid', 'NHWC', [g.sH, g.sW]); // [ci, kh, kw, co]
    return tf.transpose(out, [1, 2, 0, 3]);
  });
}

/**
 * dx = conv2d(zero-inserted dy, filter flipped in space with in/out channels swapped); the
 * pads put every tap where the forward convolution read it.
 */
export function conv2dBackpropInput(
  inputShape: [number, number, number, number],
  dy: tf.Tensor4D,
  filter: tf.Tensor4D,
  attrs: Conv2DBackpropAttrs,
): tf.Tensor4D {
  assertNhwc(attrs.dataFormat);
  const g = convAxes(inputShape, filter.shape, attrs.strides, 1, attrs.pad, attrs.dimRoundingMode, false);
  return tf.tidy(() => {
    const [top, bottom, left, right] = inputGradPads(g);
    const d = padOrCrop4d(zeroInsert(dy, g.sH, g.sW), top, bottom, left, right);
    const w = tf.transpose(tf.reverse(filter, [0, 1]), [0, 1, 3, 2]);
    return tf.conv2d(d, w, 1, 'valid');
  });
}
