import { parseArgs } from 'node:util';
import { z } from 'zod';
import { CliUsageError } from './cli-errors.ts';

/** One command-line option: its kind, the placeholder of its value, and its lines of --help. */
export interface OptionSpec {
  type: 'string' | 'boolean';
  /** Placeholder shown in --help (NAME, N, DIR...); string options only. */
  value?: string;
  short?: string;
  /** Help text, one entry per line. */
  help: string[];
}

/** The options table, keyed by the flag without its dashes (kebab-case). */
export type OptionTable = Record<string, OptionSpec>;

/** `--help` text for a table: one aligned entry per option, in the table's order. */
export function formatOptions(table: OptionTable): string {
  const heads = Object.entries(table).map(([name, spec]) => `  --${name}${spec.value ? ` ${spec.value}` : ''}`);
  const width = Math.max(...heads.map((h) => h.length)) + 2;
  return Object.values(table)
    .map((spec, i) => spec.help.map((line, j) => `${(j === 0 ? heads[i]! : '').padEnd(width)}${line}`).join('\n'))
    .join('\n');
}

/** camelCase schema key → the --kebab-case flag it comes from. */
export function flagOf(key: string): string {
  return `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

/** kebab-case flag name → camelCase schema key. */
function keyOf(flag: string): string {
  return flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}

/**
 * Parses argv against a table. Values come back under camelCase keys, as strings or booleans;
 * the schema validates them. Throws CliUsageError with a short message for an unknown option,
 * a missing value, or a positional where none is allowed. A negative number after an option
 * (`--evaluations -5`) is taken as its value, so the range check can say what is wrong with it
 * (Node's parser would call it an ambiguous option).
 */
export function parseArgv(argv: string[], table: OptionTable, allowPositionals: boolean): { values: Record<string, string | boolean>; positionals: string[] } {
  const joined: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const next = argv[i + 1];
    const name = arg.startsWith('--') ? arg.slice(2) : null;
    if (name !== null && table[name]?.type === 'string' && next !== undefined && /^-\d|^-\.\d/.test(next)) {
      joined.push(`${arg}=${next}`);
      i++;
    } else {
      joined.push(arg);
    }
  }
  try {
    const options = Object.fromEntries(Object.entries(table).map(([name, spec]) => [name, spec.short ? { type: spec.type, short: spec.short } : { type: spec.type }]));
    const { values, positionals } = parseArgs({ args: joined, options, strict: true, allowPositionals });
    return { values: Object.fromEntries(Object.entries(values).map(([k, v]) => [keyOf(k), v as string | boolean])), positionals };
  } catch (error) {
    throw new CliUsageError(parseArgsMessage(error as Error & { code?: string }));
  }
}

/** Node's parseArgs messages, shortened to what was wrong. */
function parseArgsMessage(error: Error & { code?: string }): string {
  const option = /'(-{1,2}[^' ]+)/.exec(error.message)?.[1];
  if (error.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && option) return `unknown option ${option} (--help lists the options)`;
  if (error.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && option) {
    return /argument missing|ambiguous/.test(error.message) ? `${option} needs a value` : `${option} takes no value`;
  }
  if (error.code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') return `unexpected argument ${/'([^']*)'/.exec(error.message)?.[1] ?? ''} (options start with --)`.trim();
  return error.message.split('\n')[0]!;
}

/**
 * A schema's verdict on the raw values as one usage-error line per option: `--flag <what it must
 * be>, got <value>`. Enum errors list the allowed values.
 */
export function usageMessage(error: z.ZodError, raw: Record<string, unknown>): string {
  return error.issues
    .map((issue) => {
      const key = String(issue.path[0] ?? '');
      const what = issue.code === 'invalid_value' && 'values' in issue ? `must be one of ${issue.values.join(' | ')}` : issue.message;
      const got = raw[key];
      return `${key ? flagOf(key) : 'options'} ${what}${got === undefined || typeof got === 'boolean' ? '' : `, got ${got === '' ? '""' : got}`}`;
    })
    .join('; ');
}

/** A whole-number option in [min, max]; its messages name the range ("must be a positive integer"). */
export function intOption(min: number, max: number = Number.MAX_SAFE_INTEGER) {
  const what = `must be ${min === 1 ? 'a positive integer' : min === 0 ? 'a non-negative integer' : `an integer of at least ${min}`}`;
  return z.coerce.number({ error: what }).int(what).min(min, what).max(max, `must be at most ${max}`);
}

/** A number option in (0, max]. */
export function positiveOption(max: number) {
  const what = 'must be a positive number';
  return z.coerce.number({ error: what }).positive(what).max(max, `must be at most ${max}`);
}
