import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { pipeline } from 'node:stream/promises';
import { z } from 'zod';
import { hashFile } from './checksum.ts';
import { DATASET_SOURCES, DatasetNameSchema, DatasetSourceSchema, type DatasetName, type DatasetSource, type RemoteFile } from './dataset-sources.ts';
import { ChecksumMismatchError, DownloadError } from './errors.ts';
import { extractTar } from './tar-archive.ts';

/** The subset of the WHATWG fetch that ensureDataset uses; inject a fake or a proxy-aware one. */
export type FetchLike = (url: string, init?: { signal?: AbortSignal }) => Promise<Response>;

/** Options of ensureDataset. */
export interface EnsureDatasetOptions {
  name: DatasetName;
  /** Folder holding one sub-folder per dataset. */
  cacheDir: string;
  /** Defaults to the global fetch. */
  fetch?: FetchLike;
  /** Replaces the official source (mirrors, tests); validated like untrusted input. */
  source?: DatasetSource;
  /** Keep downloaded archives after extraction (default false: they are deleted). */
  keepArchive?: boolean;
  signal?: AbortSignal;
}

/** What ensureDataset hands back. */
export interface EnsuredDataset {
  name: DatasetName;
  /** Folder to pass to the dataset's loader. */
  dir: string;
  /** True when everything came from the cache and nothing was fetched or unpacked. */
  fromCache: boolean;
  /** File names fetched by this call. */
  downloaded: string[];
}

const MARKER = '.nasfleet-dataset.json';
const MarkerSchema = z.object({
  name: z.string(),
  root: z.string(),
  files: z.array(z.object({ fileName: z.string(), md5: z.string() })),
});

function markerFor(name: string, source: DatasetSource): z.infer<typeof MarkerSchema> {
  return { name, root: source.root, files: source.files.map(({ fileName, md5 }) => ({ fileName, md5 })) };
}

async function cacheIsComplete(folder: string, expected: z.infer<typeof MarkerSchema>): Promise<boolean> {
  const raw = await readFile(join(folder, MARKER), 'utf8').catch(() => null);
  if (raw === null) return false;
  let parsed;
  try {
    parsed = MarkerSchema.safeParse(JSON.parse(raw));
  } catch {
    return false;
  }
  if (!parsed.success || JSON.stringify(parsed.data) !== JSON.stringify(expected)) return false;
  return stat(join(folder, expected.root)).then((s) => s.isDirectory(), () => false);
}

function retryableStatus(status: number): boolean {
  return status >= 500 || status === 408 || status === 429;
}

/** Streams one file to `target` while hashing it; on any failure nothing is left at `target`. */
async function download(fetchFn: FetchLike, file: RemoteFile, target: string, signal?: AbortSignal): Promise<void> {
  const partial = `${target}.partial-${randomUUID()}`;
  try {
    let res: Response;
    try {
      res = await fetchFn(file.url, signal ? { signal } : undefined);
    } catch (err) {
      throw new DownloadError(file.url, (err as Error).message, true);
    }
    if (!res.ok) throw new DownloadError(file.url, `HTTP ${res.status}`, retryableStatus(res.status));
    if (!res.body) throw new DownloadError(file.url, 'response has no body', true);
    const md5 = createHash('md5');
    let size = 0;
    const meter = new Transform({
      transform(chunk: Buffer, _enc, done) {
        md5.update(chunk);
        size += chunk.length;
        done(null, chunk);
      },
    });
    try {
      await pipeline(Readable.fromWeb(res.body as unknown as WebReadableStream), meter, createWriteStream(partial));
    } catch (err) {
      throw new DownloadError(file.url, `transfer interrupted (${(err as Error).message})`, true);
    }
    if (file.bytes !== undefined && size !== file.bytes) {
      throw new ChecksumMismatchError(file.fileName, String(file.bytes), String(size), 'size');
    }
    const actual = md5.digest('hex');
    if (actual !== file.md5) throw new ChecksumMismatchError(file.fileName, file.md5, actual, 'md5');
    await rename(partial, target);
  } finally {
    await rm(partial, { force: true });
  }
}

/** Unpacks `archive` into `folder` through a scratch folder, so a failed unpack leaves no half tree. */
async function unpack(archive: string, folder: string): Promise<void> {
  const scratch = join(folder, `.extract-${randomUUID()}`);
  try {
    await extractTar(archive, scratch);
    for (const entry of await readdir(scratch)) {
      await rm(join(folder, entry), { recursive: true, force: true });
      await rename(join(scratch, entry), join(folder, entry));
    }
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/**
 * Makes a dataset available under `cacheDir/<name>/` and returns the folder to load it
 * from. The first call downloads the published files with `fetch`, checks size and MD5
 * (a mismatch throws ChecksumMismatchError and deletes the file: the cache never holds a
 * corrupt one), unpacks archives and writes a completion marker; later calls find the
 * marker and fetch nothing. A file already present with the right MD5 is not fetched
 * again. Network failures throw DownloadError (`retryable` says whether trying again
 * can help). Not safe against two processes filling the same cache at the same instant.
 */
export async function ensureDataset(options: EnsureDatasetOptions): Promise<EnsuredDataset> {
  const name = DatasetNameSchema.parse(options.name);
  const source = DatasetSourceSchema.parse(options.source ?? DATASET_SOURCES[name]);
  const folder = join(options.cacheDir, name);
  const dir = join(folder, source.root);
  const marker = markerFor(name, source);
  if (await cacheIsComplete(folder, marker)) return { name, dir, fromCache: true, downloaded: [] };

  await mkdir(folder, { recursive: true });
  await rm(join(folder, MARKER), { force: true });
  const fetchFn = options.fetch ?? ((url, init) => globalThis.fetch(url, init));
  const downloaded: string[] = [];
  for (const file of source.files) {
    const target = join(folder, file.fileName);
    const present = await hashFile(target, 'md5').catch(() => null);
    if (present === file.md5) continue;
    await rm(target, { force: true });
    await download(fetchFn, file, target, options.signal);
    downloaded.push(file.fileName);
  }
  if (source.extract) {
    for (const file of source.files) {
      const archive = join(folder, file.fileName);
      await unpack(archive, folder);
      if (!options.keepArchive) await rm(archive, { force: true });
    }
  }
  const tmp = join(folder, `${MARKER}.tmp-${randomUUID()}`);
  await writeFile(tmp, JSON.stringify(marker));
  await rename(tmp, join(folder, MARKER));
  return { name, dir, fromCache: false, downloaded };
}
