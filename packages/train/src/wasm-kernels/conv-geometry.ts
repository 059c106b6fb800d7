import * as tf from '@tensorflow/tfjs';

/**
 * Shared geometry for the composed convolution gradients: zero insertion (to undo a stride)
 * and padding that may be negative (a negative pad crops). All helpers are pure tensor ops,
 * so they run on whatever backend is active.
 */

/** Pads (≥ 0) or crops (< 0) the two spatial axes of an NHWC tensor. */
export function padOrCrop4d(x: tf.Tensor4D, top: number, bottom: number, left: number, right: number): tf.Tensor4D {
  const [n, h, w, c] = x.shape;
  let out = x;
  if (top < 0 || bottom < 0 || left < 0 || right < 0) {
    const t = Math.max(0, -top);
    const l = Math.max(0, -left);
    out = tf.slice(out, [0, t, l, 0], [n, h - t - Math.max(0, -bottom), w - l - Math.max(0, -right), c]);
  }
  const pt = Math.max(0, top);
  const pb = Math.max(0, bottom);
  const pl = Math.max(0, left);
  const pr = Math.max(0, right);
  if (pt + pb + pl + pr > 0) out = tf.pad(out, [[0, 0], [pt, pb], [pl, pr], [0, 0]]);
  return out;
}

/**
 * Inserts stride−1 zeros after every row/column of an NHWC tensor: [n,h,w,c] →
 * [n, h·sh, w·sw, c]. The trailing zeros are left for the caller's padding arithmetic.
 */
export function zeroInsert(x: tf.Tensor4D, sh: number, sw: number): tf.Tensor4D {
  if (sh === 1 && sw === 1) return x;
  const [n, h, w, c] = x.shape;
  const six = tf.reshape(x, [n, h, 1, w, 1, c]);
  const padded = tf.pad(six, [[0, 0], [0, 0], [0, sh - 1], [0, 0], [0, sw - 1], [0, 0]]);
  return tf.reshape(padded, [n, h * sh, w * sw, c]);
}

/** The per-axis numbers a backprop needs, from tfjs's own conv info (so 'same' splits padding as tfjs does). */
export interface ConvAxes {
  inH: number; inW: number; outH: number; outW: number;
  kH: number; kW: number; sH: number; sW: number; dH: number; dW: number;
  padTop: number; padLeft: number;
}

/** Geometry of a forward NHWC convolution, for its gradients. */
export function convAxes(
  xShape: readonly number[],
  filterShape: readonly number[],
  strides: number | [number, number],
  dilations: number | [number, number],
  pad: unknown,
  dimRoundingMode: unknown,
  depthwise: boolean,
): ConvAxes {
  const info = tf.backend_util.computeConv2DInfo(
    xShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    strides,
    dilations,
    pad as 'same',
    dimRoundingMode as 'floor' | undefined,
    depthwise,
  );
  return {
    inH: info.inHeight, inW: info.inWidth, outH: info.outHeight, outW: info.outWidth,
    kH: info.filterHeight, kW: info.filterWidth, sH: info.strideHeight, sW: info.strideWidth,
    dH: info.dilationHeight, dW: info.dilationWidth, padTop: info.padInfo.top, padLeft: info.padInfo.left,
  };
}

/**
 * Pads for the filter gradient, written as a correlation of x with dy: x padded by the
 * forward padding on top/left and by whatever makes exactly k outputs at the bottom/right.
 */
export function filterGradPads(g: ConvAxes): [number, number, number, number] {
  const bottom = (g.kH - 1) * g.dH + (g.outH - 1) * g.sH + 1 - g.inH - g.padTop;
  const right = (g.kW - 1) * g.dW + (g.outW - 1) * g.sW + 1 - g.inW - g.padLeft;
  return [g.padTop, bottom, g.padLeft, right];
}

/**
 * Pads for the input gradient, written as a correlation of the zero-inserted dy (length
 * out·s) with the flipped filter: (k−1)·d − pad before, whatever gives exactly `in` outputs after.
 */
export function inputGradPads(g: ConvAxes): [number, number, number, number] {
  const top = (g.kH - 1) * g.dH - g.padTop;
  const left = (g.kW - 1) * g.dW - g.padLeft;
  const bottom = g.inH + (g.kH - 1) * g.dH - top - g.outH * g.sH;
  const right = g.inW + (g.kW - 1) * g.dW - left - g.outW * g.sW;
  return [top, bottom, left, right];
}
