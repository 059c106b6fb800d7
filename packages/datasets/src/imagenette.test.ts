import { mkdir, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DatasetFormatError } from './errors.ts';
import { IMAGENETTE_CLASSES, IMAGENETTE_WNIDS, loadImagenette } from './imagenette.ts';
import { labelHistogram, type ImageSplit } from './image-dataset.ts';
import { classColour, miniImagenetteEntries, tempDir, type TarEntry } from './test-fixtures.ts';

async function writeTree(root: string, entries: TarEntry[]): Promise<void> {
  for (const e of entries) {
    await mkdir(dirname(join(root, e.name)), { recursive: true });
    await writeFile(join(root, e.name), e.content ?? '');
  }
}

function expectClassColours(split: ImageSplit, size: number): void {
  const bytes = size * size * 3;
  for (let i = 0; i < split.count; i++) {
    const want = classColour(split.labels[i] ?? 0);
    for (const p of [0, Math.floor((size * size) / 2), size * size - 1]) {
      for (let c = 0; c < 3; c++) expect(Math.abs((split.images[i * bytes + p * 3 + c] ?? 0) - want[c]!)).toBeLessThan(12);
    }
  }
}

describe('loadImagenette', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    ({ dir, cleanup } = await tempDir());
    await writeTree(dir, miniImagenetteEntries({ train: 2, val: 1 }));
  });
  afterAll(() => cleanup());

  it('decodes and resizes every JPEG, labels in the official wnid order', async () => {
    const ds = await loadImagenette(dir, { size: 16 });
    expect(ds.inputShape).toEqual([16, 16, 3]);
    expect(ds.numClasses).toBe(10);
    expect(ds.classNames).toEqual(IMAGENETTE_CLASSES);
    expect(ds.train.count).toBe(20);
    expect(ds.test.count).toBe(10);
    expect(ds.train.images.length).toBe(20 * 16 * 16 * 3);
    expect(labelHistogram(ds.train, 10)).toEqual(new Array(10).fill(2));
    // Round-robin over classes: 0..9 then 0..9.
    expect([...ds.train.labels]).toEqual([...Array(10).keys(), ...Array(10).keys()]);
    expectClassColours(ds.train, 16);
    expectClassColours(ds.test, 16);
  });

  it('accepts the folder above imagenette2-160/ and the stretch mode', async () => {
    const ds = await loadImagenette(join(dir, 'imagenette2-160'), { size: 8, resize: 'stretch', subset: { train: 3, test: 0 } });
    expect([...ds.train.labels]).toEqual([0, 1, 2]);
    expect(ds.test.count).toBe(0);
    expectClassColours(ds.train, 8);
  });

  it('caches decoded splits, reuses them, and rebuilds when a source changes', async () => {
    const cacheDir = join(dir, 'cache');
    const first = await loadImagenette(dir, { size: 12, cacheDir });
    const files = (await readdir(cacheDir)).filter((f) => f.endsWith('.bin'));
    expect(files).toHaveLength(2);
    const trainCache = join(cacheDir, files.find((f) => f.includes('-train-')) ?? '');
    // Tamper with the first pixel byte in the cache: a reuse must return the tampered value.
    const bytes = await readFile(trainCache);
    const pixelAt = bytes.length - first.train.images.length;
    bytes[pixelAt] = 255 - (first.train.images[0] ?? 0);
    await writeFile(trainCache, bytes);
    const second = await loadImagenette(dir, { size: 12, cacheDir });
    expect(second.train.images[0]).toBe(255 - (first.train.images[0] ?? 0));
    expect([...second.train.labels]).toEqual([...first.train.labels]);
    // A touched JPEG changes the fingerprint: the split is decoded again.
    const jpegPath = join(dir, 'imagenette2-160/train', IMAGENETTE_WNIDS[0]!, `${IMAGENETTE_WNIDS[0]}_0.JPEG`);
    await utimes(jpegPath, new Date(), new Date(Date.now() + 5000));
    const third = await loadImagenette(dir, { size: 12, cacheDir });
    expect(third.train.images[0]).toBe(first.train.images[0]);
    // Other settings use another cache file, never the 12 px one.
    expect((await loadImagenette(dir, { size: 6, cacheDir, subset: { train: 2, test: 2 } })).train.images.length).toBe(2 * 6 * 6 * 3);
  });

  it('names a corrupt JPEG, or skips it on request', async () => {
    const { dir: d, cleanup: c } = await tempDir();
    await writeTree(d, miniImagenetteEntries({ train: 1, val: 1 }));
    const bad = join(d, 'imagenette2-160/val', IMAGENETTE_WNIDS[3]!, 'broken.JPEG');
    await writeFile(bad, Uint8Array.of(0xff, 0xd8, 0xff, 0x00, 1, 2, 3));
    const err = await loadImagenette(d, { size: 8 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DatasetFormatError);
    expect((err as DatasetFormatError).file).toBe(bad);
    const skipped = await loadImagenette(d, { size: 8, onCorrupt: 'skip' });
    expect(skipped.test.count).toBe(10);
    await c();
  });

  it('rejects unknown class folders, missing class folders and a missing train/', async () => {
    const { dir: d, cleanup: c } = await tempDir();
    await writeTree(d, miniImagenetteEntries({ train: 1, val: 1 }));
    await mkdir(join(d, 'imagenette2-160/train/n99999999'));
    await expect(loadImagenette(d, { size: 8 })).rejects.toThrow(/n99999999: is not one of the ImageNette wnids/);
    await rm(join(d, 'imagenette2-160/train/n99999999'), { recursive: true });
    await rm(join(d, 'imagenette2-160/val', IMAGENETTE_WNIDS[9]!), { recursive: true });
    await expect(loadImagenette(d, { size: 8 })).rejects.toThrow(/n03888257: class folder not found/);
    await expect(loadImagenette(join(d, 'nothing'), { size: 8 })).rejects.toThrow(/no train\/ folder/);
    await expect(loadImagenette(d, { size: 0 })).rejects.toThrow(RangeError);
    await c();
  });
});
