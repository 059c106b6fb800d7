import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CliUsageError } from '../cli-errors.ts';
import { CANCEL_OPTIONS, CancelOptions, EXPORT_OPTIONS, ExportOptions, LIST_OPTIONS, SUBMIT_OPTIONS, SubmitOptions, fleetTarget, fleetUsage, parseFleetArgv } from './fleet-args.ts';

const noEnv = { fleetUrl: null, fleetToken: null };

describe('fleetTarget', () => {
  it('takes the flags over the environment, and keeps a base path', () => {
    expect(fleetTarget({ url: 'http://a:1', token: 't' }, { fleetUrl: 'http://b:2', fleetToken: 'u' })).toEqual({ url: new URL('http://a:1/'), token: 't' });
    expect(fleetTarget({}, { fleetUrl: 'https://proxy/nasfleet', fleetToken: 'u' })).toEqual({ url: new URL('https://proxy/nasfleet/'), token: 'u' });
  });

  it('names what is missing or wrong, and where it came from', () => {
    expect(() => fleetTarget({ token: 't' }, noEnv)).toThrow(/^no fleet to talk to: pass --url URL or set NASFLEET_URL/);
    expect(() => fleetTarget({ url: 'ftp://x', token: 't' }, noEnv)).toThrow('--url must be an http:// or https:// URL, got "ftp://x"');
    expect(() => fleetTarget({ token: 't' }, { fleetUrl: 'head:8080', fleetToken: null })).toThrow('NASFLEET_URL must be an http:// or https:// URL, got "head:8080"');
    expect(() => fleetTarget({ url: 'http://x/?a=1', token: 't' }, noEnv)).toThrow(/without \?query/);
    expect(() => fleetTarget({ url: 'http://x' }, noEnv)).toThrow(/^no API token: pass --token TOKEN or set NASFLEET_TOKEN/);
    expect(() => fleetTarget({ url: 'http://x' }, noEnv)).toThrow(CliUsageError);
  });
});

describe('parseFleetArgv', () => {
  it('parses options and the one search id', () => {
    expect(parseFleetArgv('cancel', ['abc', '--wait', '--timeout', '5'], CancelOptions, true)).toMatchObject({ id: 'abc', options: { wait: true, timeout: 5 } });
    expect(parseFleetArgv('submit', ['--evaluations', '9', '--replay'], SubmitOptions, false)).toMatchObject({ options: { evaluations: 9, replay: true, follow: false } });
    expect(parseFleetArgv('export', ['--help'], ExportOptions, true)).toBeNull();
  });

  it('refuses a bad command line with a usage error naming the flag', () => {
    const bad: [string[], RegExp][] = [
      [['--evaluations', '0'], /^--evaluations must be a positive integer, got 0$/],
      [['--space', 'cifar'], /^--space must be one of nb201 \| code, got cifar$/],
      [['--bogus'], /^unknown option --bogus/],
      [['stray'], /^unexpected argument stray/],
      [['--endpoint', 'ollama:11434'], /^--endpoint must be an http:\/\/ or https:\/\/ URL/],
    ];
    for (const [argv, message] of bad) expect(() => parseFleetArgv('submit', argv, SubmitOptions, false)).toThrow(message);
    expect(() => parseFleetArgv('export', ['abc'], ExportOptions, true)).toThrow(/^--out is required: the folder to write the model to$/);
    expect(() => parseFleetArgv('cancel', [], CancelOptions, true)).toThrow('nasfleet cancel needs a search ID (nasfleet list shows them)');
    expect(() => parseFleetArgv('cancel', ['a', 'b'], CancelOptions, true)).toThrow('nasfleet cancel takes one search ID, got 2: a b');
  });

  it('docs/cli.md names every option of every command', () => {
    const doc = readFileSync(new URL('../../../../docs/cli.md', import.meta.url), 'utf8');
    for (const table of [SUBMIT_OPTIONS, LIST_OPTIONS, CANCEL_OPTIONS, EXPORT_OPTIONS]) {
      for (const flag of Object.keys(table)) expect(doc, `--${flag}`).toMatch(new RegExp(`--${flag}(?![\\w-])`));
    }
  });

  it('--help of each command lists its options', () => {
    expect(fleetUsage('export')).toMatch(/^usage: nasfleet export ID --out DIR \[options\]/);
    for (const flag of ['--out', '--timeout', '--url', '--token', '--json']) expect(fleetUsage('export')).toContain(`  ${flag} `);
  });
});
