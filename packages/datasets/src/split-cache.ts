import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { z } from 'zod';
import type { ImageSplit } from './image-dataset.ts';

const MAGIC = 'NFDS';

/** Header of a cached decoded split; the file is untrusted input, so it is parsed with zod. */
export const SplitCacheHeaderSchema = z.object({
  version: z.literal(1),
  count: z.number().int().nonnegative(),
  height: z.number().int().positive(),
  width: z.number().int().positive(),
  channels: z.number().int().positive(),
  /** Identifies the source files and the decoding settings the pixels came from. */
  fingerprint: z.string(),
});
/** Header of a cached decoded split. */
export type SplitCacheHeader = z.infer<typeof SplitCacheHeaderSchema>;

/**
 * Writes a decoded split as one binary file: "NFDS", a little-endian u32 header length,
 * the JSON header, the labels, then the images. Written to a temporary name and renamed,
 * so a crash never leaves a half-written cache under the real name.
 */
export async function writeSplitCache(path: string, split: ImageSplit, header: Omit<SplitCacheHeader, 'version' | 'count'>): Promise<void> {
  const json = Buffer.from(JSON.stringify({ version: 1, count: split.count, ...header }));
  const prefix = Buffer.alloc(8);
  prefix.write(MAGIC, 0, 'ascii');
  prefix.writeUInt32LE(json.length, 4);
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${randomUUID()}`;
  try {
    await writeFile(tmp, Buffer.concat([prefix, json, split.labels, split.images]));
    await rename(tmp, path);
  } finally {
    await rm(tmp, { force: true });
  }
}

/**
 * Reads a split written by writeSplitCache. Returns null (so the caller rebuilds) when the
 * file is absent, damaged, or was made from other sources or settings than `expected`.
 */
export async function readSplitCache(
  path: string,
  expected: Omit<SplitCacheHeader, 'version' | 'count'>,
): Promise<ImageSplit | null> {
  const bytes = await readFile(path).catch(() => null);
  if (!bytes || bytes.length < 8 || bytes.toString('ascii', 0, 4) !== MAGIC) return null;
  const headerLength = bytes.readUInt32LE(4);
  if (8 + headerLength > bytes.length) return null;
  let raw: unknown;
  try {
    raw = JSON.parse(bytes.toString('utf8', 8, 8 + headerLength));
  } catch {
    return null;
  }
  const parsed = SplitCacheHeaderSchema.safeParse(raw);
  if (!parsed.success) return null;
  const h = parsed.data;
  if (h.fingerprint !== expected.fingerprint || h.height !== expected.height || h.width !== expected.width || h.channels !== expected.channels) {
    return null;
  }
  const start = 8 + headerLength;
  const imageBytes = h.count * h.height * h.width * h.channels;
  if (bytes.length !== start + h.count + imageBytes) return null;
  const body = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return {
    labels: body.subarray(start, start + h.count),
    images: body.subarray(start + h.count),
    count: h.count,
  };
}
