import * as tf from '@tensorflow/tfjs';
import { convAxes, filterGradPads, inputGradPads, padOrCrop4d, zeroInsert } from './conv-geometry.ts';

/**
 * DepthwiseConv2dNative gradients composed from depthwise convolutions (the wasm backend
 * ships neither). Channel c·M + m of dy belongs to input channel c, multiplier m, as in tfjs.
 */

interface DepthwiseBackpropAttrs {
  strides: number | [number, number];
  pad: unknown;
  dilations?: number | [number, number];
  dimRoundingMode?: unknown;
}

/**
 * dW[kh,kw,c,m] = Σ_b Σ_o x[b, o·s + k·d − p, c] · dy[b, o, c·M+m]: one depthwise conv over
 * a 1-image input whose channels are (b, c), with dy as the (stride-dilated) filter, then a sum over b.
 */
export function depthwiseBackpropFilter(
  x: tf.Tensor4D,
  dy: tf.Tensor4D,
  filterShape: [number, number, number, number],
  attrs: DepthwiseBackpropAttrs,
): tf.Tensor4D {
  const g = convAxes(x.shape, filterShape, attrs.strides, attrs.dilations ?? 1, attrs.pad, attrs.dimRoundingMode, true);
  const [b, h, w, c] = x.shape;
  const m = filterShape[3];
  return tf.tidy(() => {
    const [top, bottom, left, right] = filterGradPads(g);
    const xs = tf.reshape(tf.transpose(x, [1, 2, 0, 3]), [1, h, w, b * c]) as tf.Tensor4D;
    const xp = padOrCrop4d(xs, top, bottom, left, right);
    const f5 = tf.reshape(dy, [b, g.outH, g.outW, c, m]);
    const f = tf.reshape(tf.transpose(f5, [1, 2, 0, 3, 4]), [g.outH, g.outW, b * c, m]) as tf.Tensor4D;
    const out = tf.depthwiseConv2d(xp, f, [g.dH, g.dW], 'valid', 'NHWC', [g.sH, g.sW]); // [1, kh, kw, b·c·m]
    return tf.sum(tf.reshape(out, [g.kH, g.kW, b, c, m]), 2) as tf.Tensor4D;
  });
}

/**
 * dx = depthwise conv of the zero-inserted dy with the spatially flipped filter (multiplier 1
 * over c·M channels), then a sum over the M multipliers of each input channel.
 */
export function depthwiseBackpropInput(
  inputShape: [number, number, number, number],
  dy: tf.Tensor4D,
  filter: tf.Tensor4D,
  attrs: DepthwiseBackpropAttrs,
): tf.Tensor4D {
  const g = convAxes(inputShape, filter.shape, attrs.strides, attrs.dilations ?? 1, attrs.pad, attrs.dimRoundingMode, true);
  const [b, h, w, c] = inputShape;
  const [kh, kw, , m] = filter.shape;
  return tf.tidy(() => {
    const [top, bottom, left, right] = inputGradPads(g);
    const d = padOrCrop4d(zeroInsert(dy, g.sH, g.sW), top, bottom, left, right);
    const wr = tf.reshape(tf.reverse(filter, [0, 1]), [kh, kw, c * m, 1]) as tf.Tensor4D;
    const out = tf.depthwiseConv2d(d, wr, 1, 'valid', 'NHWC', [g.dH, g.dW]); // [b, h, w, c·m]
    return m === 1 ? out : (tf.sum(tf.reshape(out, [b, h, w, c, m]), 4) as tf.Tensor4D);
  });
}

