import { describe, expect, it } from 'vitest';
import { ChecksumMismatchError, DatasetFormatError } from '@nasfleet/datasets';
import { CliUsageError, describeError, lastResortHandler, oneLine, runCli } from './cli-errors.ts';
import { readCliConfig } from './config.ts';

function capture(debug: boolean) {
  const lines: string[] = [];
  return { lines, io: { stderr: (l: string) => lines.push(l), debug } };
}

describe('describeError', () => {
  it('says what to do about a missing or damaged Fashion-MNIST', () => {
    const missing = describeError(new DatasetFormatError('/x/train-images-idx3-ubyte.gz', 'file not found (nor its uncompressed form)'));
    expect(missing).toMatch(/^Fashion-MNIST is missing: \/x\/train-images-idx3-ubyte\.gz/);
    expect(missing).toContain('apt-get install dataset-fashion-mnist');
    expect(missing).toContain('--fashion-mnist-dir');
    const damaged = describeError(new ChecksumMismatchError('/x/t10k-labels-idx1-ubyte.gz', 'aa', 'bb', 'sha256'));
    expect(damaged).toMatch(/damaged.*t10k-labels.*apt-get install --reinstall dataset-fashion-mnist/);
  });

  it('keeps any message to one line of at most 400 characters', () => {
    const glue = `RuntimeError: abort\n${'var Module=typeof WasmBackendModule;'.repeat(1000)}`;
    const line = describeError(new Error(glue));
    expect(line).not.toContain('\n');
    expect(line.length).toBeLessThanOrEqual(400);
    expect(line.startsWith('RuntimeError: abort var Module')).toBe(true);
    expect(oneLine('  a\n   b  ')).toBe('a b');
    expect(describeError('thrown string')).toBe('thrown string');
  });
});

describe('runCli', () => {
  it('returns the command\'s exit code', async () => {
    expect(await runCli(async () => 0, capture(false).io)).toBe(0);
  });

  it('prints one error line, exit 2 for a usage error and 1 for anything else', async () => {
    const usage = capture(false);
    expect(await runCli(async () => { throw new CliUsageError('--seed must be a non-negative integer, got x'); }, usage.io)).toBe(2);
    expect(usage.lines).toEqual(['error: --seed must be a non-negative integer, got x']);
    const other = capture(false);
    expect(await runCli(async () => { throw new TypeError('boom\nat somewhere'); }, other.io)).toBe(1);
    expect(other.lines).toEqual(['error: boom at somewhere']);
  });

  it('adds the stack only when asked to', async () => {
    const debug = capture(true);
    await runCli(async () => { throw new Error('boom'); }, debug.io);
    expect(debug.lines).toHaveLength(2);
    expect(debug.lines[1]).toMatch(/^Error: boom\n\s+at /);
  });
});

describe('lastResortHandler', () => {
  it('prints an escaped error as one line and exits 1', () => {
    const { lines, io } = capture(false);
    const exits: number[] = [];
    lastResortHandler(io, (code) => exits.push(code))(new Error(`abort\n${'x'.repeat(40_000)}`));
    expect(exits).toEqual([1]);
    expect(lines).toHaveLength(1);
    expect(lines[0]!.length).toBeLessThan(500);
    expect(lines[0]).toMatch(/^error: abort x+…$/);
  });
});

describe('readCliConfig', () => {
  it('turns stacks on with DEBUG=nasfleet, in a list, or with *', () => {
    expect(readCliConfig({}).debug).toBe(false);
    expect(readCliConfig({ DEBUG: 'express' }).debug).toBe(false);
    expect(readCliConfig({ DEBUG: 'nasfleet' }).debug).toBe(true);
    expect(readCliConfig({ DEBUG: 'express, nasfleet' }).debug).toBe(true);
    expect(readCliConfig({ DEBUG: '*' }).debug).toBe(true);
  });
});
