import { describe, expect, it } from 'vitest';
import { CHECK_USAGE, parseCheckCli } from './check-args.ts';
import { CliUsageError } from './cli-errors.ts';

describe('parseCheckCli', () => {
  it('defaults to the code space\'s task: 28×28×1 inputs, 10 classes', () => {
    expect(parseCheckCli(['a.md', 'b.js'])).toEqual({ files: ['a.md', 'b.js'], inputShape: [28, 28, 1], classes: 10, json: false, verbose: false, help: false });
    expect(parseCheckCli(['-', '--json', '--input-shape', '32, 32, 3', '--classes', '100'])).toMatchObject({ files: ['-'], json: true, inputShape: [32, 32, 3], classes: 100 });
    expect(parseCheckCli(['--help']).help).toBe(true);
    expect(CHECK_USAGE).toMatch(/^usage: npm run --silent check -- FILE\.\.\./);
  });

  it('rejects a bad command line with what was wrong', () => {
    expect(() => parseCheckCli([])).toThrow(new CliUsageError('no FILE to check: give one or more answer files, or - for stdin'));
    expect(() => parseCheckCli(['--json'])).toThrow(/^no FILE to check/);
    expect(() => parseCheckCli(['a', '--input-shape', '28,28'])).toThrow('--input-shape must be three positive integers H,W,C (each at most 4096), got 28,28');
    expect(() => parseCheckCli(['a', '--input-shape', '28,x,1'])).toThrow(/^--input-shape must be three positive integers/);
    expect(() => parseCheckCli(['a', '--input-shape', '0,28,1'])).toThrow(/^--input-shape must be three positive integers/);
    expect(() => parseCheckCli(['a', '--classes', '-3'])).toThrow('--classes must be a positive integer, got -3');
    expect(() => parseCheckCli(['a', '--budget', '3'])).toThrow('unknown option --budget (--help lists the options)');
  });
});
