/** How an image is brought to the target square size. */
export type ResizeMode =
  /** Scale so the short side equals the target, then cut the centre square (keeps aspect ratio; torchvision Resize+CenterCrop). */
  | 'short-side-crop'
  /** Scale width and height independently to the target (distorts non-square images). */
  | 'stretch';

interface Taps {
  start: Int32Array;
  count: Int32Array;
  weights: Float32Array;
  stride: number;
}

/**
 * Filter taps for output positions [from, from + n) of a resize from `inSize` to
 * `outSize`: a triangle (bilinear) filter widened by the scale factor when shrinking, as
 * Pillow's antialiased resize does, so downscaling averages instead of aliasing.
 */
function taps(inSize: number, outSize: number, from: number, n: number): Taps {
  const scale = inSize / outSize;
  const filterScale = Math.max(1, scale);
  const support = filterScale; // triangle radius 1, stretched
  const stride = Math.ceil(support) * 2 + 1;
  const start = new Int32Array(n);
  const count = new Int32Array(n);
  const weights = new Float32Array(n * stride);
  for (let i = 0; i < n; i++) {
    const center = (from + i + 0.5) * scale;
    const lo = Math.max(0, Math.floor(center - support));
    const hi = Math.min(inSize, Math.ceil(center + support));
    let sum = 0;
    let k = 0;
    for (let j = lo; j < hi && k < stride; j++, k++) {
      const w = Math.max(0, 1 - Math.abs((j + 0.5 - center) / filterScale));
      weights[i * stride + k] = w;
      sum += w;
    }
    if (sum === 0) {
      // Degenerate tiny sizes: fall back to the nearest source pixel.
      weights[i * stride] = 1;
      start[i] = Math.min(inSize - 1, Math.max(0, Math.floor(center)));
      count[i] = 1;
      continue;
    }
    for (let m = 0; m < k; m++) weights[i * stride + m] = (weights[i * stride + m] ?? 0) / sum;
    start[i] = lo;
    count[i] = k;
  }
  return { start, count, weights, stride };
}

/**
 * Resamples an HWC image of `width`×`height`×`channels` to `outWidth`×`outHeight`, and
 * returns only the window [x0, x0+cropWidth)×[y0, y0+cropHeight) of that resized grid
 * (the whole grid by default). Separable antialiased bilinear filter; output rounded and
 * clamped to 0..255.
 */
export function resizeImage(
  src: Uint8Array, width: number, height: number, channels: number,
  outWidth: number, outHeight: number,
  crop: { x0: number; y0: number; width: number; height: number } = { x0: 0, y0: 0, width: outWidth, height: outHeight },
): Uint8Array {
  const cw = crop.width;
  const ch = crop.height;
  if (outWidth === width && outHeight === height) {
    const out = new Uint8Array(cw * ch * channels);
    for (let y = 0; y < ch; y++) {
      const from = ((y + crop.y0) * width + crop.x0) * channels;
      out.set(src.subarray(from, from + cw * channels), y * cw * channels);
    }
    return out;
  }
  const hx = taps(width, outWidth, crop.x0, cw);
  const vy = taps(height, outHeight, crop.y0, ch);
  // Only the source rows the vertical pass reads need the horizontal pass.
  const rowLo = vy.start[0] ?? 0;
  const rowHi = (vy.start[ch - 1] ?? 0) + (vy.count[ch - 1] ?? 0);
  const tmp = new Float32Array((rowHi - rowLo) * cw * channels);
  for (let y = rowLo; y < rowHi; y++) {
    const srcRow = y * width * channels;
    const tmpRow = (y - rowLo) * cw * channels;
    for (let x = 0; x < cw; x++) {
      const s = hx.start[x] ?? 0;
      const n = hx.count[x] ?? 0;
      for (let c = 0; c < channels; c++) {
        let acc = 0;
        for (let k = 0; k < n; k++) acc += (src[srcRow + (s + k) * channels + c] ?? 0) * (hx.weights[x * hx.stride + k] ?? 0);
        tmp[tmpRow + x * channels + c] = acc;
      }
    }
  }
  const out = new Uint8Array(cw * ch * channels);
  for (let y = 0; y < ch; y++) {
    const s = (vy.start[y] ?? 0) - rowLo;
    const n = vy.count[y] ?? 0;
    for (let x = 0; x < cw * channels; x++) {
      let acc = 0;
      for (let k = 0; k < n; k++) acc += (tmp[(s + k) * cw * channels + x] ?? 0) * (vy.weights[y * vy.stride + k] ?? 0);
      out[y * cw * channels + x] = Math.min(255, Math.max(0, Math.round(acc)));
    }
  }
  return out;
}

/**
 * Brings an HWC image to `size`×`size` with `mode` (see ResizeMode). With
 * 'short-side-crop' the short side is scaled to `size` (long side rounded) and the centre
 * square kept, the odd pixel going to the right/bottom.
 */
export function fitImage(
  src: Uint8Array, width: number, height: number, channels: number, size: number, mode: ResizeMode,
): Uint8Array {
  if (mode === 'stretch') return resizeImage(src, width, height, channels, size, size);
  const scale = size / Math.min(width, height);
  const outW = Math.max(size, Math.round(width * scale));
  const outH = Math.max(size, Math.round(height * scale));
  const x0 = Math.floor((outW - size) / 2);
  const y0 = Math.floor((outH - size) / 2);
  return resizeImage(src, width, height, channels, outW, outH, { x0, y0, width: size, height: size });
}
