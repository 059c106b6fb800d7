import { readFile, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { DatasetFormatError } from './errors.ts';
import { readTarEntries } from './tar-archive.ts';

/**
 * Reads named files of a dataset that comes either as a directory (the files directly in
 * it, or in its `topDir` sub-directory as the archive unpacks) or as the published
 * .tar/.tar.gz archive itself (matched by base name, whatever folder they sit in).
 * Files in `required` that are missing throw DatasetFormatError naming the source;
 * `optional` ones are simply absent from the result.
 */
export async function readDatasetFiles(
  source: string,
  topDir: string,
  required: readonly string[],
  optional: readonly string[] = [],
): Promise<Map<string, Uint8Array>> {
  let info;
  try {
    info = await stat(source);
  } catch {
    throw new DatasetFormatError(source, 'no such file or directory');
  }
  const wanted = new Set([...required, ...optional]);
  const found = new Map<string, Uint8Array>();
  if (info.isFile()) {
    const entries = await readTarEntries(source, (path) => wanted.has(basename(path)));
    for (const [path, bytes] of entries) if (!found.has(basename(path))) found.set(basename(path), bytes);
  } else {
    const inner = join(source, topDir);
    for (const name of wanted) {
      for (const dir of [source, inner]) {
        const bytes = await readFile(join(dir, name)).catch(() => undefined);
        if (bytes) {
          found.set(name, bytes);
          break;
        }
      }
    }
  }
  const missing = required.filter((name) => !found.has(name));
  if (missing.length > 0) throw new DatasetFormatError(source, `missing ${missing.join(', ')}`);
  return found;
}

/**
 * Parses a class-name list (one name a line, blank lines ignored) and checks it has
 * exactly `count` names; throws DatasetFormatError naming `file` otherwise.
 */
export function parseNameList(bytes: Uint8Array, file: string, count: number): string[] {
  const names = new TextDecoder().decode(bytes).split(/\r?\n/).map((s) => s.trim()).filter((s) => s.length > 0);
  if (names.length !== count) throw new DatasetFormatError(file, `lists ${names.length} class names, expected ${count}`);
  return names;
}
