import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { DatasetFormatError } from './errors.ts';

const gunzipAsync = promisify(gunzip);

/**
 * Reads a file and gunzips it when it starts with the gzip magic bytes (plain files are
 * returned as they are, so an uncompressed copy works too). A damaged gzip stream throws
 * DatasetFormatError naming the file.
 */
export async function readMaybeGzip(path: string): Promise<Uint8Array> {
  const raw = await readFile(path);
  if (raw[0] !== 0x1f || raw[1] !== 0x8b) return raw;
  try {
    return await gunzipAsync(raw);
  } catch (err) {
    throw new DatasetFormatError(path, `not a valid gzip stream (${(err as Error).message})`);
  }
}
