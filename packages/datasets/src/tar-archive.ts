import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, open } from 'node:fs/promises';
import { dirname, isAbsolute, join, normalize, sep } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import tar from 'tar-stream';
import { DatasetFormatError } from './errors.ts';

type Entry = Readable & { header: { name: string; type?: string | null; size?: number } };

async function isGzip(path: string): Promise<boolean> {
  const handle = await open(path, 'r');
  try {
    const head = Buffer.alloc(2);
    const { bytesRead } = await handle.read(head, 0, 2, 0);
    return bytesRead === 2 && head[0] === 0x1f && head[1] === 0x8b;
  } finally {
    await handle.close();
  }
}

/**
 * Walks the entries of a .tar or .tar.gz file in order, calling `onEntry` for each one.
 * The callback must consume the entry (or return without touching it; it is drained).
 * A damaged archive throws DatasetFormatError naming `archive`.
 */
async function walkTar(archive: string, onEntry: (entry: Entry) => Promise<void>): Promise<void> {
  const extract = tar.extract();
  const pump = (await isGzip(archive))
    ? pipeline(createReadStream(archive), createGunzip(), extract)
    : pipeline(createReadStream(archive), extract);
  pump.catch(() => undefined); // surfaced through the iterator below
  let entries = 0;
  try {
    for await (const entry of extract as AsyncIterable<Entry>) {
      entries++;
      await onEntry(entry);
      entry.resume();
    }
    await pump;
  } catch (err) {
    extract.destroy();
    if (err instanceof DatasetFormatError) throw err;
    throw new DatasetFormatError(archive, `damaged tar archive (${(err as Error).message})`);
  }
  if (entries === 0) throw new DatasetFormatError(archive, 'archive holds no entries');
}

async function collect(entry: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of entry) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/**
 * Reads the regular files of a .tar/.tar.gz whose entry path `wanted` accepts into memory,
 * keyed by entry path; everything else is streamed past without being kept.
 */
export async function readTarEntries(archive: string, wanted: (path: string) => boolean): Promise<Map<string, Buffer>> {
  const found = new Map<string, Buffer>();
  await walkTar(archive, async (entry) => {
    const { name, type } = entry.header;
    if ((type ?? 'file') === 'file' && wanted(name)) found.set(name, await collect(entry));
  });
  return found;
}

/** Entry path made safe to join under a directory, or null when it would escape it. */
export function safeEntryPath(name: string): string | null {
  if (name === '' || isAbsolute(name) || /^[a-zA-Z]:/.test(name)) return null;
  const norm = normalize(name);
  if (norm === '..' || norm.startsWith(`..${sep}`) || norm.split(sep).includes('..')) return null;
  return norm;
}

/**
 * Extracts the regular files and directories of a .tar/.tar.gz under `destDir`. Entries
 * that would land outside it (absolute paths, `..`) throw DatasetFormatError; links,
 * devices and FIFOs are skipped, never created. Returns the number of files written.
 */
export async function extractTar(archive: string, destDir: string): Promise<number> {
  let files = 0;
  await mkdir(destDir, { recursive: true });
  await walkTar(archive, async (entry) => {
    const { name, type } = entry.header;
    const kind = type ?? 'file';
    if (kind !== 'file' && kind !== 'directory') return;
    const rel = safeEntryPath(name);
    if (rel === null) throw new DatasetFormatError(archive, `entry "${name}" would be extracted outside the target directory`);
    const target = join(destDir, rel);
    if (kind === 'directory') {
      await mkdir(target, { recursive: true });
      return;
    }
    await mkdir(dirname(target), { recursive: true });
    await pipeline(entry, createWriteStream(target));
    files++;
  });
  return files;
}
