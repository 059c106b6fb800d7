import { describe, expect, it } from 'vitest';
import { CliUsageError } from './cli-errors.ts';
import { flagOf, formatOptions, parseArgv } from './parse-argv.ts';
import type { OptionTable } from './parse-argv.ts';

const TABLE = {
  'max-steps': { type: 'string', value: 'N', help: ['how many', 'second line'] },
  json: { type: 'boolean', help: ['as JSON'] },
  help: { type: 'boolean', short: 'h', help: ['this help'] },
} satisfies OptionTable;

describe('parseArgv', () => {
  it('returns camelCase keys and positionals', () => {
    expect(parseArgv(['--max-steps', '3', 'a', '--json', 'b'], TABLE, true)).toEqual({ values: { maxSteps: '3', json: true }, positionals: ['a', 'b'] });
    expect(parseArgv(['-h'], TABLE, false).values).toEqual({ help: true });
  });

  it('takes a negative number after a string option as its value, in both spellings', () => {
    expect(parseArgv(['--max-steps', '-5'], TABLE, false).values).toEqual({ maxSteps: '-5' });
    expect(parseArgv(['--max-steps=-5'], TABLE, false).values).toEqual({ maxSteps: '-5' });
    expect(parseArgv(['--max-steps', '-.5'], TABLE, false).values).toEqual({ maxSteps: '-.5' });
    // A flag after a string option is still a missing value, not the value.
    expect(() => parseArgv(['--max-steps', '--json'], TABLE, false)).toThrow('--max-steps needs a value');
  });

  it('turns parseArgs errors into one short usage line', () => {
    expect(() => parseArgv(['--colour'], TABLE, false)).toThrow(new CliUsageError('unknown option --colour (--help lists the options)'));
    expect(() => parseArgv(['--max-steps'], TABLE, false)).toThrow('--max-steps needs a value');
    expect(() => parseArgv(['--json=yes'], TABLE, false)).toThrow('--json takes no value');
    expect(() => parseArgv(['stray'], TABLE, false)).toThrow('unexpected argument stray (options start with --)');
  });
});

describe('formatOptions', () => {
  it('aligns every option with its help, continuation lines indented', () => {
    expect(formatOptions(TABLE).split('\n')).toEqual([
      '  --max-steps N  how many',
      '                 second line',
      '  --json         as JSON',
      '  --help         this help',
    ]);
  });

  it('maps schema keys back to flags', () => {
    expect(flagOf('fashionMnistDir')).toBe('--fashion-mnist-dir');
    expect(flagOf('seed')).toBe('--seed');
  });
});
