import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { access, open, stat, unlink } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { FASHION_MNIST_FILES } from '@nasfleet/datasets';
import { CliPreflightError, FASHION_MNIST_HINT } from './cli-errors.ts';

/** The part of a path that exists: the nearest existing ancestor (or the path), and what it is. */
async function nearestExisting(path: string): Promise<{ path: string; isDirectory: boolean }> {
  for (let p = path; ; p = dirname(p)) {
    const found = await stat(p).then((s) => s, (error: NodeJS.ErrnoException) => {
      // ENOENT: look one level up. ENOTDIR: some ancestor is a file, found further up.
      if (error.code === 'ENOENT' || error.code === 'ENOTDIR') return null;
      throw new CliPreflightError(`cannot use ${p}: ${error.code ?? error.message}`);
    });
    if (found) return { path: p, isDirectory: found.isDirectory() };
    if (dirname(p) === p) throw new CliPreflightError(`cannot use ${path}: no part of it exists`);
  }
}

/**
 * Checks, without creating anything, that `dir` can be created (or is already a folder) and written
 * to, so the export after a long search cannot fail. Refuses a path under a regular file and a
 * folder where a file cannot be created (/proc, /sys, read-only or foreign mounts) by creating and
 * removing one empty file in the nearest existing folder: a quick test that never walks into the
 * recursive mkdir that loops forever on /proc. Returns the resolved path; throws CliPreflightError
 * whose message starts with `flag` and the folder.
 */
export async function checkExportDir(dir: string, flag = '--export'): Promise<string> {
  const target = resolve(dir);
  const existing = await nearestExisting(target);
  if (!existing.isDirectory) {
    throw new CliPreflightError(existing.path === target
      ? `${flag} ${dir}: ${target} is a file, not a folder`
      : `${flag} ${dir}: ${existing.path} is a file, so no folder can be created under it`);
  }
  const probe = join(existing.path, `.nasfleet-write-test-${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    await (await open(probe, 'wx')).close();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new CliPreflightError(`${flag} ${dir}: cannot write in ${existing.path} (${code}); choose a folder you can write to`);
  }
  await unlink(probe);
  return target;
}

/**
 * Checks that `dir` holds the four Fashion-MNIST IDX files (gzip or uncompressed), as the loader
 * will look for them; the message names every missing file and says how to install them. Their
 * content is checked when they are loaded.
 */
export async function checkFashionMnistDir(dir: string): Promise<void> {
  const missing: string[] = [];
  for (const { file } of Object.values(FASHION_MNIST_FILES)) {
    const candidates = [join(dir, file), join(dir, file.replace(/\.gz$/, ''))];
    const readable = await Promise.all(candidates.map((c) => access(c, constants.R_OK).then(() => true, () => false)));
    if (!readable.includes(true)) missing.push(file);
  }
  if (missing.length === 0) return;
  const none = missing.length === Object.keys(FASHION_MNIST_FILES).length;
  throw new CliPreflightError(`Fashion-MNIST ${none ? 'is not' : 'is incomplete'} in ${dir}: missing ${missing.join(', ')}; ${FASHION_MNIST_HINT}`);
}
