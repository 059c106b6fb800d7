import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FASHION_MNIST_FILES } from '@nasfleet/datasets';
import { CliPreflightError } from './cli-errors.ts';
import { checkExportDir, checkFashionMnistDir } from './preflight.ts';

const scratch = () => mkdtempSync(join(tmpdir(), 'nasfleet-preflight-'));

describe('checkExportDir', () => {
  it('accepts a folder to be created under a writable one, and creates nothing', async () => {
    const dir = scratch();
    expect(await checkExportDir(join(dir, 'a', 'b'))).toBe(join(dir, 'a', 'b'));
    expect(await checkExportDir(dir)).toBe(dir);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('refuses a path that is a file, or lies under one', async () => {
    const dir = scratch();
    const file = join(dir, 'report.json');
    writeFileSync(file, '{}');
    await expect(checkExportDir(file)).rejects.toThrow(new CliPreflightError(`--export ${file}: ${file} is a file, not a folder`));
    await expect(checkExportDir(join(file, 'sub', 'deeper'))).rejects.toThrow(`--export ${file}/sub/deeper: ${file} is a file, so no folder can be created under it`);
  });

  it('refuses a folder where no file can be created, such as /proc', async () => {
    await expect(checkExportDir('/proc/x')).rejects.toThrow(/^--export \/proc\/x: cannot write in \/proc \(\w+\); choose a folder you can write to$/);
  });
});

describe('checkFashionMnistDir', () => {
  const names = Object.values(FASHION_MNIST_FILES).map((f) => f.file);

  it('names every missing file and how to install them', async () => {
    const error = await checkFashionMnistDir('/nonexistent').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CliPreflightError);
    expect((error as Error).message).toBe(
      `Fashion-MNIST is not in /nonexistent: missing ${names.join(', ')}; install it with \`apt-get install dataset-fashion-mnist\` (it goes to /usr/share/datasets/fashion-mnist) or pass --fashion-mnist-dir DIR`,
    );
  });

  it('accepts the four files, gzip or uncompressed, and names the ones still missing', async () => {
    const dir = scratch();
    writeFileSync(join(dir, names[0]!), '');
    writeFileSync(join(dir, names[1]!.replace(/\.gz$/, '')), '');
    await expect(checkFashionMnistDir(dir)).rejects.toThrow(`Fashion-MNIST is incomplete in ${dir}: missing ${names[2]}, ${names[3]};`);
    writeFileSync(join(dir, names[2]!), '');
    writeFileSync(join(dir, names[3]!), '');
    await expect(checkFashionMnistDir(dir)).resolves.toBeUndefined();
  });
});
