import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CIFAR100_COARSE_CLASSES, CIFAR100_FINE_CLASSES, CIFAR10_CLASSES, loadCifar10, loadCifar100 } from './cifar.ts';
import { CIFAR_IMAGE_BYTES, parseCifarRecords } from './cifar-records.ts';
import { DatasetFormatError } from './errors.ts';
import { cifarPixel, makeCifarBatch, makeTar, miniCifar10Entries, tempDir, type TarEntry } from './test-fixtures.ts';

async function writeEntries(dir: string, entries: TarEntry[]): Promise<void> {
  for (const e of entries) {
    if (e.type === 'directory') await mkdir(join(dir, e.name), { recursive: true });
    else await writeFile(join(dir, e.name), e.content ?? '');
  }
}

function expectPixels(images: Uint8Array, slot: number, imageId: number): void {
  // HWC: pixel p, channel c sits at p*3+c; pixel 37 = row 1, column 5.
  for (const p of [0, 37, 1023]) {
    for (let c = 0; c < 3; c++) expect(images[slot * CIFAR_IMAGE_BYTES + p * 3 + c]).toBe(cifarPixel(imageId, p, c));
  }
}

describe('parseCifarRecords', () => {
  it('converts CHW records to HWC', () => {
    const bytes = new Uint8Array(1 + CIFAR_IMAGE_BYTES);
    bytes[0] = 7;
    bytes[1 + 5] = 10; // red, pixel 5
    bytes[1 + 1024 + 5] = 20; // green, pixel 5
    bytes[1 + 2048 + 5] = 30; // blue, pixel 5
    const r = parseCifarRecords(bytes, 'b.bin', 1, 10);
    expect(r.count).toBe(1);
    expect(r.labels[0]).toBe(7);
    expect([...r.images.subarray(15, 18)]).toEqual([10, 20, 30]);
  });

  it('rejects partial records, empty files and labels out of range', () => {
    expect(() => parseCifarRecords(new Uint8Array(3072), 'short.bin', 1, 10)).toThrow(/short\.bin: 3072 bytes is not a whole number of 3073-byte records/);
    expect(() => parseCifarRecords(new Uint8Array(0), 'e.bin', 1, 10)).toThrow(/file is empty/);
    const bad = makeCifarBatch(2, 0, (i) => (i === 1 ? 10 : 0));
    expect(() => parseCifarRecords(bad, 'lab.bin', 1, 10)).toThrow(/lab\.bin: record 1: label 10/);
    const coarse = makeCifarBatch(1, 0, () => 3, () => 20);
    expect(() => parseCifarRecords(coarse, 'c.bin', 2, 100, 20)).toThrow(/coarse label 20/);
  });
});

describe('loadCifar10', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    ({ dir, cleanup } = await tempDir());
  });
  afterAll(() => cleanup());

  it('loads the batch files from a directory, in batch order, as HWC', async () => {
    const root = join(dir, 'plain');
    await mkdir(root);
    await writeEntries(root, miniCifar10Entries(3));
    for (const source of [root, join(root, 'cifar-10-batches-bin')]) {
      const ds = await loadCifar10(source);
      expect(ds.inputShape).toEqual([32, 32, 3]);
      expect(ds.train.count).toBe(15);
      expect(ds.test.count).toBe(3);
      expect([...ds.train.labels]).toEqual(Array.from({ length: 15 }, (_, i) => i % 10));
      expect([...ds.test.labels]).toEqual([1000, 1001, 1002].map((i) => (i * 3) % 10));
      expectPixels(ds.train.images, 0, 0);
      expectPixels(ds.train.images, 7, 7); // batch 3, second record
      expectPixels(ds.test.images, 2, 1002);
      expect(ds.classNames).toEqual(CIFAR10_CLASSES);
    }
  });

  it('loads straight from the .tar.gz archive and agrees with the directory', async () => {
    const archive = join(dir, 'cifar-10-binary.tar.gz');
    await writeFile(archive, await makeTar(miniCifar10Entries(3)));
    const fromTar = await loadCifar10(archive, { subset: { train: 4 } });
    const fromDir = await loadCifar10(join(dir, 'plain'));
    expect(fromTar.train.count).toBe(4);
    expect([...fromTar.train.images]).toEqual([...fromDir.train.images.subarray(0, 4 * CIFAR_IMAGE_BYTES)]);
    expect([...fromTar.test.labels]).toEqual([...fromDir.test.labels]);
  });

  it('reads class names from batches.meta.txt', async () => {
    const root = join(dir, 'renamed');
    await mkdir(root);
    const entries = miniCifar10Entries(1).map((e) =>
      e.name.endsWith('meta.txt') ? { ...e, content: 'a\nb\nc\nd\ne\nf\ng\nh\ni\nj\n' } : e);
    await writeEntries(root, entries);
    expect((await loadCifar10(root)).classNames).toEqual([...'abcdefghij']);
  });

  it('names a missing batch, a truncated batch and a bad class list', async () => {
    const root = join(dir, 'broken');
    await mkdir(root);
    const entries = miniCifar10Entries(2);
    await writeEntries(root, entries.filter((e) => !e.name.endsWith('data_batch_4.bin')));
    await expect(loadCifar10(root)).rejects.toThrow(/missing data_batch_4\.bin/);
    const batch4 = makeCifarBatch(2, 6, () => 1);
    await writeFile(join(root, 'cifar-10-batches-bin/data_batch_4.bin'), batch4.subarray(0, batch4.length - 10));
    await expect(loadCifar10(root)).rejects.toThrow(/data_batch_4\.bin: .* not a whole number of 3073-byte records/);
    await writeFile(join(root, 'cifar-10-batches-bin/data_batch_4.bin'), batch4);
    await writeFile(join(root, 'cifar-10-batches-bin/batches.meta.txt'), 'only\nthree\nnames\n');
    await expect(loadCifar10(root)).rejects.toThrow(/batches\.meta\.txt: lists 3 class names, expected 10/);
  });

  it('checks expected counts when asked', async () => {
    await expect(loadCifar10(join(dir, 'plain'), { expectedCounts: { train: 50_000, test: 10_000 } }))
      .rejects.toThrow(/train split holds 15 images, expected 50000/);
  });

  it('rejects a damaged archive and an archive lacking a batch', async () => {
    const good = await makeTar(miniCifar10Entries(1));
    const cut = join(dir, 'cut.tar.gz');
    await writeFile(cut, good.subarray(0, Math.floor(good.length / 2)));
    const err = await loadCifar10(cut).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DatasetFormatError);
    expect(String(err)).toMatch(/cut\.tar\.gz/);
    const lacking = join(dir, 'lacking.tar.gz');
    await writeFile(lacking, await makeTar(miniCifar10Entries(1).filter((e) => !e.name.endsWith('test_batch.bin'))));
    await expect(loadCifar10(lacking)).rejects.toThrow(/lacking\.tar\.gz: missing test_batch\.bin/);
    await expect(loadCifar10(join(dir, 'nowhere'))).rejects.toThrow(/no such file or directory/);
  });
});

describe('loadCifar100', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  const fine = (i: number) => (i * 13) % 100;
  const coarse = (i: number) => (i * 7) % 20;
  beforeAll(async () => {
    ({ dir, cleanup } = await tempDir());
    const entries: TarEntry[] = [
      { name: 'cifar-100-binary/train.bin', content: makeCifarBatch(6, 0, fine, coarse) },
      { name: 'cifar-100-binary/test.bin', content: makeCifarBatch(2, 500, fine, coarse) },
      { name: 'cifar-100-binary/fine_label_names.txt', content: `${CIFAR100_FINE_CLASSES.join('\n')}\n` },
      { name: 'cifar-100-binary/coarse_label_names.txt', content: `${CIFAR100_COARSE_CLASSES.join('\n')}\n` },
    ];
    await writeFile(join(dir, 'cifar-100-binary.tar.gz'), await makeTar(entries));
  });
  afterAll(() => cleanup());

  it('uses fine labels by default and coarse ones on request', async () => {
    const archive = join(dir, 'cifar-100-binary.tar.gz');
    const ds = await loadCifar100(archive);
    expect(ds.numClasses).toBe(100);
    expect(ds.classNames).toHaveLength(100);
    expect([...ds.train.labels]).toEqual([0, 1, 2, 3, 4, 5].map(fine));
    expect([...ds.test.labels]).toEqual([500, 501].map(fine));
    expectPixels(ds.train.images, 4, 4);
    expectPixels(ds.test.images, 1, 501);
    const c = await loadCifar100(archive, { labels: 'coarse' });
    expect(c.numClasses).toBe(20);
    expect(c.classNames?.[0]).toBe('aquatic_mammals');
    expect([...c.train.labels]).toEqual([0, 1, 2, 3, 4, 5].map(coarse));
  });

  it('rejects CIFAR-10 records given as CIFAR-100', async () => {
    const root = join(dir, 'wrong');
    await mkdir(root);
    await writeFile(join(root, 'train.bin'), makeCifarBatch(3, 0, () => 1));
    await writeFile(join(root, 'test.bin'), makeCifarBatch(1, 0, () => 1, () => 1));
    await expect(loadCifar100(root)).rejects.toThrow(/train\.bin: 9219 bytes is not a whole number of 3074-byte records/);
  });
});
