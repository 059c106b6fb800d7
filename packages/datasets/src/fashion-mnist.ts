import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { hashBytes } from './checksum.ts';
import { ChecksumMismatchError, DatasetFormatError } from './errors.ts';
import { readMaybeGzip } from './gunzip-file.ts';
import { parseIdx } from './idx.ts';
import { takeFirst, type ImageDataset, type ImageSplit, type SubsetOption } from './image-dataset.ts';

/** Where Debian's `dataset-fashion-mnist` package installs the four IDX files. */
export const FASHION_MNIST_DEBIAN_DIR = '/usr/share/datasets/fashion-mnist';

/** Official base URL of the Fashion-MNIST files (zalandoresearch/fashion-mnist README). */
export const FASHION_MNIST_BASE_URL = 'http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/';

/** Class names in label order (zalandoresearch/fashion-mnist README). */
export const FASHION_MNIST_CLASSES = [
  'T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot',
];

/** One published Fashion-MNIST file. */
export interface FashionMnistFile {
  /** File name as published (gzip). */
  file: string;
  /** MD5 of the official .gz, as published upstream. */
  md5: string;
  /** Size in bytes of the official .gz. */
  bytes: number;
  /**
   * SHA-256 of the decompressed IDX content, pinned from Debian's package. Debian's .gz
   * files are smaller than upstream's by exactly the gzip FNAME header field (file name +
   * NUL) and otherwise the same deflate stream, so the content hash holds for both.
   */
  contentSha256: string;
  /** Decompressed size in bytes. */
  contentBytes: number;
}

/** The four published files, keyed by role. */
export const FASHION_MNIST_FILES = {
  trainImages: {
    file: 'train-images-idx3-ubyte.gz', md5: '8d4fb7e6c68d591d4c3dfef9ec88bf0d', bytes: 26_421_880,
    contentSha256: 'c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888', contentBytes: 47_040_016,
  },
  trainLabels: {
    file: 'train-labels-idx1-ubyte.gz', md5: '25c81989df183df01b3e8a0aad5dffbe', bytes: 29_515,
    contentSha256: 'bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9', contentBytes: 60_008,
  },
  testImages: {
    file: 't10k-images-idx3-ubyte.gz', md5: 'bef4ecab320f06d8554ea6380940ec79', bytes: 4_422_102,
    contentSha256: '5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b', contentBytes: 7_840_016,
  },
  testLabels: {
    file: 't10k-labels-idx1-ubyte.gz', md5: 'bb300cfdad3c16e7a12a480ee83cd310', bytes: 5_148,
    contentSha256: '0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34', contentBytes: 10_008,
  },
} as const satisfies Record<string, FashionMnistFile>;

/** Options of loadFashionMnist. */
export interface FashionMnistOptions {
  /** Keep only the first N images of each split (after validation of the whole file). */
  subset?: SubsetOption;
  /**
   * Check the decompressed content against the pinned SHA-256 (default true). Turn off
   * for files that are deliberately not the official ones (tests, variants).
   */
  verify?: boolean;
  /** Image counts the files must hold; default the official 60,000 / 10,000. */
  expectedCounts?: { train: number; test: number };
}

const SIDE = 28;

/** The path of the .gz or, failing that, the uncompressed file; null when neither exists. */
async function locate(dir: string, gzName: string): Promise<string | null> {
  for (const candidate of [join(dir, gzName), join(dir, gzName.replace(/\.gz$/, ''))]) {
    const found = await access(candidate).then(() => true, () => false);
    if (found) return candidate;
  }
  return null;
}

/** Locates all four files first, so a missing one is always reported the same way. */
async function locateAll(dir: string): Promise<Map<string, string>> {
  const paths = new Map<string, string>();
  const missing: string[] = [];
  for (const spec of Object.values(FASHION_MNIST_FILES)) {
    const path = await locate(dir, spec.file);
    if (path) paths.set(spec.file, path);
    else missing.push(spec.file);
  }
  const [first, ...others] = missing;
  if (first !== undefined) {
    const also = others.length > 0 ? `; also missing ${others.join(', ')}` : '';
    throw new DatasetFormatError(join(dir, first), `file not found (nor its uncompressed form)${also}`);
  }
  return paths;
}

async function readIdx(paths: Map<string, string>, spec: FashionMnistFile, rank: number, verify: boolean) {
  const path = paths.get(spec.file) ?? spec.file;
  const bytes = await readMaybeGzip(path);
  if (verify) {
    const actual = hashBytes(bytes, 'sha256');
    if (actual !== spec.contentSha256) throw new ChecksumMismatchError(path, spec.contentSha256, actual, 'sha256');
  }
  return { path, ...parseIdx(bytes, path, rank) };
}

async function loadSplit(
  paths: Map<string, string>,
  images: FashionMnistFile,
  labels: FashionMnistFile,
  expectedCount: number,
  verify: boolean,
): Promise<ImageSplit> {
  const [img, lab] = await Promise.all([readIdx(paths, images, 3, verify), readIdx(paths, labels, 1, verify)]);
  const [n, h, w] = img.dims;
  if (h !== SIDE || w !== SIDE) throw new DatasetFormatError(img.path, `images are ${h}×${w}, expected ${SIDE}×${SIDE}`);
  if (n !== expectedCount) throw new DatasetFormatError(img.path, `holds ${n} images, expected ${expectedCount}`);
  if (lab.dims[0] !== n) throw new DatasetFormatError(lab.path, `holds ${lab.dims[0]} labels but ${img.path} holds ${n} images`);
  const bad = lab.data.findIndex((l) => l >= FASHION_MNIST_CLASSES.length);
  if (bad >= 0) throw new DatasetFormatError(lab.path, `label ${lab.data[bad]} at index ${bad} is not a class in [0, ${FASHION_MNIST_CLASSES.length})`);
  return { images: img.data, labels: lab.data, count: n };
}

/**
 * Loads Fashion-MNIST from `dir` (Debian's install location by default): the four
 * published IDX files, gzip or plain. Images are 28×28×1. Validates magic numbers,
 * dimensions, counts and label range, and by default the content checksums; every error
 * names the file. Throws DatasetFormatError or ChecksumMismatchError.
 */
export async function loadFashionMnist(
  dir: string = FASHION_MNIST_DEBIAN_DIR,
  options: FashionMnistOptions = {},
): Promise<ImageDataset> {
  const verify = options.verify ?? true;
  const counts = options.expectedCounts ?? { train: 60_000, test: 10_000 };
  const f = FASHION_MNIST_FILES;
  const paths = await locateAll(dir);
  // One split after the other: errors are then reported in a stable order.
  const train = await loadSplit(paths, f.trainImages, f.trainLabels, counts.train, verify);
  const test = await loadSplit(paths, f.testImages, f.testLabels, counts.test, verify);
  const imageBytes = SIDE * SIDE;
  return {
    name: 'fashion-mnist',
    inputShape: [SIDE, SIDE, 1],
    numClasses: FASHION_MNIST_CLASSES.length,
    classNames: [...FASHION_MNIST_CLASSES],
    train: takeFirst(train, imageBytes, options.subset?.train),
    test: takeFirst(test, imageBytes, options.subset?.test),
  };
}
