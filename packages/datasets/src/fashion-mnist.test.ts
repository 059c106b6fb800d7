import { copyFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashBytes } from './checksum.ts';
import { ChecksumMismatchError, DatasetFormatError } from './errors.ts';
import { FASHION_MNIST_DEBIAN_DIR, FASHION_MNIST_FILES, loadFashionMnist } from './fashion-mnist.ts';
import { encodeIdx } from './idx.ts';
import { labelHistogram, type ImageDataset } from './image-dataset.ts';
import { tempDir } from './test-fixtures.ts';

describe('loadFashionMnist on the real Debian files', () => {
  let ds: ImageDataset;
  beforeAll(async () => {
    ds = await loadFashionMnist();
  }, 30_000); // 55 MB to gunzip and hash; slow when the machine is busy

  it('has the official counts and shape', () => {
    expect(ds.train.count).toBe(60_000);
    expect(ds.test.count).toBe(10_000);
    expect(ds.inputShape).toEqual([28, 28, 1]);
    expect(ds.train.images.length).toBe(60_000 * 784);
    expect(ds.test.labels.length).toBe(10_000);
    expect(ds.classNames?.[9]).toBe('Ankle boot');
  });

  it('has the balanced label distribution of Fashion-MNIST', () => {
    expect(labelHistogram(ds.train, 10)).toEqual(new Array(10).fill(6000));
    expect(labelHistogram(ds.test, 10)).toEqual(new Array(10).fill(1000));
    // The first training image is an ankle boot, the first test images too (well known).
    expect([...ds.train.labels.subarray(0, 5)]).toEqual([9, 0, 0, 3, 0]);
    expect([...ds.test.labels.subarray(0, 5)]).toEqual([9, 2, 1, 1, 6]);
  });

  it('matches the pixel checksums pinned when this loader was written', () => {
    let trainSum = 0;
    for (const v of ds.train.images) trainSum += v;
    expect(trainSum).toBe(3_431_114_169); // mean 72.94 ≈ the usual 0.2860 × 255
    expect(hashBytes(ds.test.images, 'sha256')).toBe('c867c93ff95360594e8ec3287995350b824dd110b11595c0e13d5423f621867a');
    expect(ds.train.images[14 * 28 + 14]).toBe(217);
  });

  it('keeps the first N images with a subset', async () => {
    const small = await loadFashionMnist(FASHION_MNIST_DEBIAN_DIR, { subset: { train: 100, test: 7 }, verify: false });
    expect(small.train.count).toBe(100);
    expect(small.test.count).toBe(7);
    expect(small.train.images.length).toBe(100 * 784);
    expect([...small.test.labels]).toEqual([...ds.test.labels.subarray(0, 7)]);
    expect([...small.train.images.subarray(0, 784)]).toEqual([...ds.train.images.subarray(0, 784)]);
  });
});

describe('loadFashionMnist on damaged files', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  const counts = { train: 4, test: 2 };
  const f = FASHION_MNIST_FILES;

  async function writeSet(over: Partial<Record<keyof typeof FASHION_MNIST_FILES, Uint8Array>> = {}, gzip = true, target = dir) {
    const base = {
      trainImages: encodeIdx([4, 28, 28], new Uint8Array(4 * 784).fill(3)),
      trainLabels: encodeIdx([4], Uint8Array.of(0, 1, 2, 9)),
      testImages: encodeIdx([2, 28, 28], new Uint8Array(2 * 784).fill(5)),
      testLabels: encodeIdx([2], Uint8Array.of(4, 5)),
      ...over,
    };
    for (const key of Object.keys(base) as Array<keyof typeof base>) {
      const name = f[key].file;
      await writeFile(join(target, gzip ? name : name.replace(/\.gz$/, '')), gzip ? gzipSync(base[key]) : base[key]);
    }
  }

  beforeAll(async () => {
    ({ dir, cleanup } = await tempDir());
  });
  afterAll(() => cleanup());

  it('loads a well-formed small set (gzip or plain)', async () => {
    await writeSet();
    const ds = await loadFashionMnist(dir, { verify: false, expectedCounts: counts });
    expect(ds.train.count).toBe(4);
    expect([...ds.train.labels]).toEqual([0, 1, 2, 9]);
    expect(ds.test.images[0]).toBe(5);
    const { dir: plainDir, cleanup: c2 } = await tempDir();
    await writeSet({}, false, plainDir);
    expect((await loadFashionMnist(plainDir, { verify: false, expectedCounts: counts })).test.count).toBe(2);
    await c2();
  });

  it('fails the content checksum of files that are not the official ones', async () => {
    await writeSet();
    const err = await loadFashionMnist(dir, { expectedCounts: counts }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ChecksumMismatchError);
    expect((err as ChecksumMismatchError).algorithm).toBe('sha256');
  });

  it('rejects counts that differ from the expected ones', async () => {
    await writeSet();
    await expect(loadFashionMnist(dir, { verify: false })).rejects.toThrow(/train-images-idx3-ubyte\.gz: holds 4 images, expected 60000/);
  });

  it('rejects a bad magic number naming the file', async () => {
    const bad = encodeIdx([2, 28, 28], new Uint8Array(2 * 784));
    bad[2] = 0x09;
    await writeSet({ testImages: bad });
    await expect(loadFashionMnist(dir, { verify: false, expectedCounts: counts })).rejects.toThrow(/t10k-images-idx3-ubyte\.gz: bad IDX magic/);
  });

  it('rejects images that are not 28×28', async () => {
    await writeSet({ trainImages: encodeIdx([4, 27, 28], new Uint8Array(4 * 27 * 28)) });
    await expect(loadFashionMnist(dir, { verify: false, expectedCounts: counts })).rejects.toThrow(/train-images-idx3-ubyte\.gz: images are 27×28/);
  });

  it('rejects a label count that differs from the image count', async () => {
    await writeSet({ testLabels: encodeIdx([3], Uint8Array.of(1, 2, 3)) });
    await expect(loadFashionMnist(dir, { verify: false, expectedCounts: counts })).rejects.toThrow(/t10k-labels-idx1-ubyte\.gz: holds 3 labels but .* holds 2 images/);
  });

  it('rejects a label outside the 10 classes', async () => {
    await writeSet({ trainLabels: encodeIdx([4], Uint8Array.of(0, 1, 10, 2)) });
    await expect(loadFashionMnist(dir, { verify: false, expectedCounts: counts })).rejects.toThrow(/label 10 at index 2/);
  });

  it('rejects a truncated file and a damaged gzip stream', async () => {
    const full = encodeIdx([2], Uint8Array.of(1, 2));
    await writeSet({ testLabels: full.subarray(0, full.length - 1) });
    await expect(loadFashionMnist(dir, { verify: false, expectedCounts: counts })).rejects.toThrow(/need 2 data bytes, file has 1/);
    await writeSet();
    const gz = gzipSync(encodeIdx([2], Uint8Array.of(1, 2)));
    await writeFile(join(dir, f.testLabels.file), gz.subarray(0, gz.length - 6));
    const err = await loadFashionMnist(dir, { verify: false, expectedCounts: counts }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DatasetFormatError);
    expect((err as DatasetFormatError).file).toMatch(/t10k-labels-idx1-ubyte\.gz$/);
  });

  it('names a missing file', async () => {
    const { dir: empty, cleanup: c } = await tempDir();
    await copyFile(join(FASHION_MNIST_DEBIAN_DIR, f.testLabels.file), join(empty, f.testLabels.file));
    await expect(loadFashionMnist(empty)).rejects.toThrow(/train-images-idx3-ubyte\.gz: file not found .*; also missing train-labels-idx1-ubyte\.gz, t10k-images-idx3-ubyte\.gz$/);
    await c();
  });
});
