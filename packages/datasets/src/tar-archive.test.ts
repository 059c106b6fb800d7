import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DatasetFormatError } from './errors.ts';
import { extractTar, readTarEntries, safeEntryPath } from './tar-archive.ts';
import { makeTar, tempDir } from './test-fixtures.ts';

describe('tar archives', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    ({ dir, cleanup } = await tempDir());
  });
  afterAll(() => cleanup());

  it('reads wanted entries from .tar.gz and plain .tar alike', async () => {
    const entries = [{ name: 'top/a.bin', content: 'AAA' }, { name: 'top/b.bin', content: 'BB' }, { name: 'top/sub/', type: 'directory' as const }];
    for (const gzip of [true, false]) {
      const path = join(dir, gzip ? 'x.tar.gz' : 'x.tar');
      await writeFile(path, await makeTar(entries, gzip));
      const got = await readTarEntries(path, (p) => p.endsWith('b.bin'));
      expect([...got.keys()]).toEqual(['top/b.bin']);
      expect(got.get('top/b.bin')?.toString()).toBe('BB');
    }
  });

  it('extracts files under the target folder', async () => {
    const path = join(dir, 'y.tar.gz');
    await writeFile(path, await makeTar([{ name: 'd/', type: 'directory' }, { name: 'd/e/f.txt', content: 'deep' }]));
    expect(await extractTar(path, join(dir, 'out'))).toBe(1);
    expect(await readFile(join(dir, 'out/d/e/f.txt'), 'utf8')).toBe('deep');
  });

  it('rejects garbage and empty archives', async () => {
    const path = join(dir, 'junk.tar.gz');
    await writeFile(path, Buffer.from('definitely not a tarball, but long enough to look at'));
    await expect(readTarEntries(path, () => true)).rejects.toThrow(DatasetFormatError);
    const empty = join(dir, 'empty.tar');
    await writeFile(empty, await makeTar([], false));
    await expect(readTarEntries(empty, () => true)).rejects.toThrow(/holds no entries/);
  });

  it('refuses paths that leave the target folder', () => {
    expect(safeEntryPath('a/b/../c')).toBe(join('a', 'c'));
    for (const bad of ['../x', 'a/../../x', '/etc/passwd', '', 'C:/x']) expect(safeEntryPath(bad)).toBeNull();
  });
});
