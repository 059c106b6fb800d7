import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import jpeg from 'jpeg-js';
import { DatasetFormatError } from './errors.ts';
import type { ImageDataset, ImageSplit, SubsetOption } from './image-dataset.ts';
import { fitImage, type ResizeMode } from './resize.ts';
import { readSplitCache, writeSplitCache } from './split-cache.ts';

/** The 10 ImageNet wnids of ImageNette in their official (label) order. */
export const IMAGENETTE_WNIDS = [
  'n01440764', 'n02102040', 'n02979186', 'n03000684', 'n03028079',
  'n03394916', 'n03417042', 'n03425413', 'n03445777', 'n03888257',
];
/** Readable names of IMAGENETTE_WNIDS, same order (ImageNet synset names). */
export const IMAGENETTE_CLASSES = [
  'tench', 'English springer', 'cassette player', 'chain saw', 'church',
  'French horn', 'garbage truck', 'gas pump', 'golf ball', 'parachute',
];
/** Official download of the 160 px release (fastai/imagenette). */
export const IMAGENETTE_160_URL = 'https://s3.amazonaws.com/fast-ai-imageclas/imagenette2-160.tgz';
/** MD5 of imagenette2-160.tgz as listed by dataset libraries (catalyst); fastai publishes no checksum itself. */
export const IMAGENETTE_160_MD5 = '0edfc972b5c9817ac36517c0057f3869';
/** Folder the 160 px archive unpacks to. */
export const IMAGENETTE_160_DIR = 'imagenette2-160';

/** Options of loadImagenette. */
export interface ImagenetteOptions {
  /** Side of the square output images in pixels (default 160). */
  size?: number;
  /** How images are brought to size×size (default 'short-side-crop'). */
  resize?: ResizeMode;
  /** Keep N images per split, taken round-robin over the classes so they stay balanced. */
  subset?: SubsetOption;
  /** Folder for decoded splits (one binary file per split); reused while sources and settings match. */
  cacheDir?: string;
  /** What to do with a JPEG that does not decode: throw (default) or leave it out. */
  onCorrupt?: 'error' | 'skip';
  /** Called after each decoded image of a split, for progress reports. */
  onProgress?: (split: 'train' | 'test', done: number, total: number) => void;
}

interface Item {
  path: string;
  label: number;
}

const JPEG_NAME = /\.jpe?g$/i;

async function resolveRoot(source: string): Promise<string> {
  for (const root of [source, join(source, IMAGENETTE_160_DIR)]) {
    const ok = await stat(join(root, 'train')).then((s) => s.isDirectory(), () => false);
    if (ok) return root;
  }
  throw new DatasetFormatError(source, 'no train/ folder (expected train/<wnid>/*.JPEG and val/<wnid>/*.JPEG)');
}

async function listSplit(splitDir: string): Promise<Item[][]> {
  const entries = await readdir(splitDir, { withFileTypes: true }).catch(() => {
    throw new DatasetFormatError(splitDir, 'folder not found');
  });
  for (const e of entries) {
    if (e.isDirectory() && !IMAGENETTE_WNIDS.includes(e.name)) {
      throw new DatasetFormatError(join(splitDir, e.name), `is not one of the ImageNette wnids (${IMAGENETTE_WNIDS.join(', ')})`);
    }
  }
  return Promise.all(IMAGENETTE_WNIDS.map(async (wnid, label) => {
    const dir = join(splitDir, wnid);
    const names = await readdir(dir).catch(() => {
      throw new DatasetFormatError(dir, 'class folder not found');
    });
    return names.filter((n) => JPEG_NAME.test(n)).sort().map((n) => ({ path: join(dir, n), label }));
  }));
}

/** Interleaves the classes (one of each in turn) and keeps the first `n` items. */
function roundRobin(perClass: Item[][], n: number | undefined): Item[] {
  const out: Item[] = [];
  const longest = Math.max(0, ...perClass.map((c) => c.length));
  for (let i = 0; i < longest; i++) for (const c of perClass) if (i < c.length) out.push(c[i] as Item);
  return n === undefined ? out : out.slice(0, Math.max(0, Math.floor(n)));
}

async function fingerprint(items: Item[], settings: string): Promise<string> {
  const hash = createHash('sha256').update(settings);
  for (const item of items) {
    const s = await stat(item.path);
    hash.update(`\n${item.path}\t${item.label}\t${s.size}\t${s.mtimeMs}`);
  }
  return hash.digest('hex');
}

/** Decodes one JPEG to RGB and fits it to size×size; throws DatasetFormatError naming the file. */
export function decodeJpegTo(bytes: Uint8Array, file: string, size: number, mode: ResizeMode): Uint8Array {
  let img;
  try {
    img = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: false, maxResolutionInMP: 100, maxMemoryUsageInMB: 1024 });
  } catch (err) {
    throw new DatasetFormatError(file, `not a decodable JPEG (${(err as Error).message})`);
  }
  if (img.width === 0 || img.height === 0) throw new DatasetFormatError(file, 'JPEG has no pixels');
  return fitImage(img.data, img.width, img.height, 3, size, mode);
}

async function decodeSplit(items: Item[], size: number, mode: ResizeMode, options: ImagenetteOptions, which: 'train' | 'test'): Promise<ImageSplit> {
  const imageBytes = size * size * 3;
  const images = new Uint8Array(items.length * imageBytes);
  const labels = new Uint8Array(items.length);
  let count = 0;
  for (const [i, item] of items.entries()) {
    try {
      images.set(decodeJpegTo(await readFile(item.path), item.path, size, mode), count * imageBytes);
      labels[count] = item.label;
      count++;
    } catch (err) {
      if (options.onCorrupt !== 'skip' || !(err instanceof DatasetFormatError)) throw err;
    }
    options.onProgress?.(which, i + 1, items.length);
    if (i % 32 === 31) await yieldToLoop(); // decoding is synchronous; let timers and I/O run
  }
  return { images: images.subarray(0, count * imageBytes), labels: labels.subarray(0, count), count };
}

async function loadSplit(root: string, folder: 'train' | 'val', which: 'train' | 'test', options: ImagenetteOptions): Promise<ImageSplit> {
  const size = options.size ?? 160;
  const mode = options.resize ?? 'short-side-crop';
  const items = roundRobin(await listSplit(join(root, folder)), options.subset?.[which]);
  if (!options.cacheDir) return decodeSplit(items, size, mode, options, which);
  const settings = `imagenette v1 size=${size} mode=${mode} skip=${options.onCorrupt === 'skip'}`;
  const header = { height: size, width: size, channels: 3, fingerprint: await fingerprint(items, settings) };
  const path = join(options.cacheDir, `imagenette-${folder}-${size}-${mode}-${header.fingerprint.slice(0, 16)}.bin`);
  const cached = await readSplitCache(path, header);
  if (cached) return cached;
  const split = await decodeSplit(items, size, mode, options, which);
  await writeSplitCache(path, split, header);
  return split;
}

/**
 * Loads ImageNette from a folder laid out as the imagenette2 releases are
 * (`train/<wnid>/*.JPEG`, `val/<wnid>/*.JPEG`; the folder itself or its imagenette2-160/
 * sub-folder). JPEGs are decoded in pure JS and brought to size×size×3 (default 160,
 * short side then centre crop). Labels follow IMAGENETTE_WNIDS; images are ordered
 * round-robin over the classes. val/ becomes the test split. With `cacheDir`, decoded
 * splits are cached and reused until the files or settings change. Throws
 * DatasetFormatError naming the folder or file at fault.
 */
export async function loadImagenette(source: string, options: ImagenetteOptions = {}): Promise<ImageDataset> {
  const size = options.size ?? 160;
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`size must be a positive integer, got ${size}`);
  const root = await resolveRoot(source);
  const train = await loadSplit(root, 'train', 'train', options);
  const test = await loadSplit(root, 'val', 'test', options);
  return {
    name: 'imagenette',
    inputShape: [size, size, 3],
    numClasses: IMAGENETTE_WNIDS.length,
    classNames: [...IMAGENETTE_CLASSES],
    train,
    test,
  };
}
