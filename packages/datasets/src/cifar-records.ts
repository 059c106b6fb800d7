import { DatasetFormatError } from './errors.ts';

/** CIFAR images are 32×32 RGB; a record stores them channel-planar (CHW). */
export const CIFAR_SIDE = 32;
const PIXELS = CIFAR_SIDE * CIFAR_SIDE;
/** Bytes of one CIFAR image. */
export const CIFAR_IMAGE_BYTES = PIXELS * 3;

/** Records of one CIFAR binary file, images already converted to HWC. */
export interface CifarRecords {
  count: number;
  images: Uint8Array;
  /** The last label byte of each record (CIFAR-10 label, CIFAR-100 fine label). */
  labels: Uint8Array;
  /** The first label byte of each record when there are two (CIFAR-100 coarse label). */
  coarseLabels?: Uint8Array;
}

/**
 * Parses a CIFAR binary batch: fixed-size records of `labelBytes` label bytes (1 for
 * CIFAR-10; 2 for CIFAR-100: coarse then fine) followed by 3,072 pixel bytes (1,024 red,
 * 1,024 green, 1,024 blue, each row-major), and converts the pixels to HWC. Throws
 * DatasetFormatError naming `file` when the length is not a whole number of records or a
 * label is out of range (`numClasses` bounds the last label, `numCoarse` the first).
 */
export function parseCifarRecords(
  bytes: Uint8Array,
  file: string,
  labelBytes: 1 | 2,
  numClasses: number,
  numCoarse = 20,
): CifarRecords {
  const recordBytes = labelBytes + CIFAR_IMAGE_BYTES;
  if (bytes.length === 0) throw new DatasetFormatError(file, 'file is empty');
  if (bytes.length % recordBytes !== 0) {
    throw new DatasetFormatError(file, `${bytes.length} bytes is not a whole number of ${recordBytes}-byte records (truncated or wrong CIFAR variant?)`);
  }
  const count = bytes.length / recordBytes;
  const images = new Uint8Array(count * CIFAR_IMAGE_BYTES);
  const labels = new Uint8Array(count);
  const coarseLabels = labelBytes === 2 ? new Uint8Array(count) : undefined;
  for (let r = 0; r < count; r++) {
    const base = r * recordBytes;
    const label = bytes[base + labelBytes - 1] ?? 0;
    if (label >= numClasses) throw new DatasetFormatError(file, `record ${r}: label ${label} is not a class in [0, ${numClasses})`);
    labels[r] = label;
    if (coarseLabels) {
      const coarse = bytes[base] ?? 0;
      if (coarse >= numCoarse) throw new DatasetFormatError(file, `record ${r}: coarse label ${coarse} is not in [0, ${numCoarse})`);
      coarseLabels[r] = coarse;
    }
    const src = base + labelBytes;
    const dst = r * CIFAR_IMAGE_BYTES;
    for (let p = 0; p < PIXELS; p++) {
      const o = dst + p * 3;
      images[o] = bytes[src + p] ?? 0;
      images[o + 1] = bytes[src + PIXELS + p] ?? 0;
      images[o + 2] = bytes[src + 2 * PIXELS + p] ?? 0;
    }
  }
  return coarseLabels ? { count, images, labels, coarseLabels } : { count, images, labels };
}

/** Encodes HWC images and labels as a CIFAR binary batch; the inverse of parseCifarRecords. */
export function encodeCifarRecords(images: Uint8Array, labels: Uint8Array, coarseLabels?: Uint8Array): Uint8Array {
  const count = labels.length;
  const labelBytes = coarseLabels ? 2 : 1;
  const recordBytes = labelBytes + CIFAR_IMAGE_BYTES;
  const out = new Uint8Array(count * recordBytes);
  for (let r = 0; r < count; r++) {
    const base = r * recordBytes;
    if (coarseLabels) out[base] = coarseLabels[r] ?? 0;
    out[base + labelBytes - 1] = labels[r] ?? 0;
    for (let p = 0; p < PIXELS; p++) {
      for (let c = 0; c < 3; c++) out[base + labelBytes + c * PIXELS + p] = images[r * CIFAR_IMAGE_BYTES + p * 3 + c] ?? 0;
    }
  }
  return out;
}
