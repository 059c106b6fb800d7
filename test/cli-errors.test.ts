import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { linesOf, npmRun } from './cli-run.ts';

const SPAWN = 180_000;
const scratch = () => mkdtempSync(join(tmpdir(), 'nasfleet-cli-'));

/** An error a user meets: one `error:` line on stderr, nothing on stdout, no search output, no dump. */
function expectOneErrorLine(run: { stdout: string; stderr: string }, message: RegExp): void {
  expect(run.stdout).toBe('');
  const lines = linesOf(run.stderr);
  expect(lines.filter((l) => l.startsWith('error: '))).toHaveLength(1);
  expect(lines.at(-1)).toMatch(message);
  for (const line of lines) expect(line.length).toBeLessThan(500);
  expect(run.stderr).not.toMatch(/\n\s+at |\[\d+\/\d+\]/); // no stack, no progress of a search
}

describe('npm run search: errors are one line, found before the search starts', () => {
  it('names the missing Fashion-MNIST files and how to install them', async () => {
    const run = await npmRun('search', ['--space', 'code', '--evaluations', '2', '--fashion-mnist-dir', '/nonexistent']);
    expect(run.code).toBe(1);
    expectOneErrorLine(run, /^error: Fashion-MNIST is not in \/nonexistent: missing train-images-idx3-ubyte\.gz, .*apt-get install dataset-fashion-mnist.*--fashion-mnist-dir/);
    expect(run.stderr).not.toMatch(/backend:/); // checked before TF.js is even loaded
  }, SPAWN);

  it('refuses an export folder under /proc or under a file before the search', async () => {
    const proc = await npmRun('search', ['--space', 'code', '--evaluations', '2', '--export', '/proc/x']);
    expect(proc.code).toBe(1);
    expectOneErrorLine(proc, /^error: --export \/proc\/x: cannot write in \/proc \(\w+\); choose a folder you can write to$/);
    const dir = scratch();
    const file = join(dir, 'notes.txt');
    writeFileSync(file, 'not a folder');
    const under = await npmRun('search', ['--space', 'code', '--evaluations', '2', '--export', join(file, 'sub')]);
    expect(under.code).toBe(1);
    expectOneErrorLine(under, new RegExp(`^error: --export ${file}/sub: ${file} is a file, so no folder can be created under it$`));
    expect(readdirSync(dir)).toEqual(['notes.txt']);
  }, SPAWN);

  it('says what is wrong with an out-of-range option, however it is written (exit 2)', async () => {
    for (const args of [['--evaluations', '-5'], ['--evaluations=-5']]) {
      const run = await npmRun('search', args);
      expect(run.code).toBe(2);
      expectOneErrorLine(run, /^error: --evaluations must be a positive integer, got -5$/);
    }
  }, SPAWN);

  it('reports a damaged dataset found while loading (after the wasm backend started) in one line', async () => {
    // Past the pre-flight check (the four files exist) and past TF.js's wasm start, which installs an
    // uncaughtException handler that would print its 36 KB glue line for an escaped error.
    const dir = scratch();
    for (const name of ['train-images-idx3-ubyte', 'train-labels-idx1-ubyte', 't10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte']) writeFileSync(join(dir, name), 'garbage');
    const run = await npmRun('search', ['--space', 'code', '--evaluations', '2', '--fashion-mnist-dir', dir]);
    expect(run.code).toBe(1);
    expectOneErrorLine(run, /^error: a dataset file is damaged: .*idx.*apt-get install --reinstall dataset-fashion-mnist/);
  }, SPAWN);

  it('prints the stack as well with DEBUG=nasfleet', async () => {
    const run = await npmRun('search', ['--space', 'code', '--fashion-mnist-dir', '/nonexistent'], { env: { DEBUG: 'nasfleet' } });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^error: Fashion-MNIST is not in \/nonexistent.*\nCliPreflightError: .*\n\s+at /);
  }, SPAWN);

  it('--help lists every option, --fashion-mnist-dir included', async () => {
    const run = await npmRun('search', ['--help']);
    expect(run.code).toBe(0);
    for (const flag of ['--space', '--fashion-mnist-dir', '--export', '--learning-rate', '--json']) expect(run.stdout).toContain(`  ${flag} `);
  }, SPAWN);
});
