import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CHECK_OPTIONS, CHECK_USAGE } from './check-args.ts';
import { SEARCH_OPTIONS, USAGE } from './cli-args.ts';

const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');

/** The flags named in the README paragraph that starts with `lead` (up to the next blank line). */
function readmeFlags(lead: string): string[] {
  const start = readme.indexOf(lead);
  expect(start, `README paragraph starting "${lead}"`).toBeGreaterThanOrEqual(0);
  const paragraph = readme.slice(start, readme.indexOf('\n\n', start));
  return [...new Set(paragraph.match(/(?<![\w-])--[a-z][a-z0-9-]*/g))].sort();
}

const flags = (table: object) => Object.keys(table).map((k) => `--${k}`).sort();

describe('--help and the README list the same options', () => {
  it('npm run search', () => {
    expect(readmeFlags('Options (`npm run search -- --help`)')).toEqual(flags(SEARCH_OPTIONS));
    for (const flag of flags(SEARCH_OPTIONS)) expect(USAGE).toContain(`  ${flag}`);
  });

  it('npm run check', () => {
    expect(readmeFlags('Options (`npm run check -- --help`)')).toEqual(flags(CHECK_OPTIONS));
    for (const flag of flags(CHECK_OPTIONS)) expect(CHECK_USAGE).toContain(`  ${flag}`);
  });
});
