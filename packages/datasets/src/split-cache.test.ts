import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSplitCache, writeSplitCache } from './split-cache.ts';
import { tempDir } from './test-fixtures.ts';

describe('split cache', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  const header = { height: 2, width: 2, channels: 3, fingerprint: 'abc' };
  const split = { images: Uint8Array.from({ length: 24 }, (_, i) => i * 10), labels: Uint8Array.of(4, 9), count: 2 };
  beforeAll(async () => {
    ({ dir, cleanup } = await tempDir());
  });
  afterAll(() => cleanup());

  it('round-trips a split', async () => {
    const path = join(dir, 'nested', 'a.bin');
    await writeSplitCache(path, split, header);
    const back = await readSplitCache(path, header);
    expect(back?.count).toBe(2);
    expect([...(back?.labels ?? [])]).toEqual([4, 9]);
    expect([...(back?.images ?? [])]).toEqual([...split.images]);
  });

  it('returns null for a missing, stale, truncated or garbled file', async () => {
    const path = join(dir, 'b.bin');
    expect(await readSplitCache(path, header)).toBeNull();
    await writeSplitCache(path, split, header);
    expect(await readSplitCache(path, { ...header, fingerprint: 'other' })).toBeNull();
    expect(await readSplitCache(path, { ...header, width: 3 })).toBeNull();
    const bytes = await readFile(path);
    await writeFile(path, bytes.subarray(0, bytes.length - 1));
    expect(await readSplitCache(path, header)).toBeNull();
    const garbled = Buffer.from(bytes);
    garbled[9] = 0x7b; // break the JSON header
    garbled[10] = 0x7b;
    await writeFile(path, garbled);
    expect(await readSplitCache(path, header)).toBeNull();
    await writeFile(path, 'NOPE');
    expect(await readSplitCache(path, header)).toBeNull();
  });
});
