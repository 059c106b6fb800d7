import { z } from 'zod';
import { CliUsageError } from './cli-errors.ts';
import { formatOptions, intOption, parseArgv, usageMessage } from './parse-argv.ts';
import type { OptionTable } from './parse-argv.ts';

/** The options of `npm run check`, in --help order; the README's check section lists the same set (a test compares). */
export const CHECK_OPTIONS = {
  'input-shape': { type: 'string', value: 'H,W,C', help: ['input of the task the answers are checked for (default 28,28,1: Fashion-MNIST)'] },
  classes: { type: 'string', value: 'N', help: ['classes of that task: the output size (default 10)'] },
  json: { type: 'boolean', help: ['one JSON line per file: { file, status, class?, message?, params?, flops?, ms }'] },
  verbose: { type: 'boolean', help: ['on an error, print its stack too (as DEBUG=nasfleet does)'] },
  help: { type: 'boolean', short: 'h', help: ['print this help'] },
} satisfies OptionTable;

export const CHECK_USAGE = `usage: npm run --silent check -- FILE... [options]

Checks LLM answers (prose with fenced code, or bare code) as the code-space search would, without
training: extraction, the QuickJS sandbox, shapes, output and the search's caps on parameters,
FLOPs and activation memory. FILE - reads stdin. A rejected answer is data, not an error: exit 0.
A file that cannot be read gets a status "error" line, the others are still checked, and the exit
code is 1. A bad command line exits 2.

${formatOptions(CHECK_OPTIONS)}
`;

const SHAPE_MESSAGE = 'must be three positive integers H,W,C (each at most 4096)';
const shape = z
  .string()
  .regex(/^\s*\d+\s*,\s*\d+\s*,\s*\d+\s*$/, SHAPE_MESSAGE)
  .transform((s) => s.split(',').map(Number) as [number, number, number])
  .refine((dims) => dims.every((d) => d >= 1 && d <= 4096), SHAPE_MESSAGE);

/** Options of `npm run check`, validated. */
export const CheckOptions = z.object({
  files: z.array(z.string()).min(1),
  inputShape: shape.default([28, 28, 1]),
  classes: intOption(1, 100_000).default(10),
  json: z.boolean().default(false),
  verbose: z.boolean().default(false),
  help: z.boolean().default(false),
});
export type CheckOptions = z.infer<typeof CheckOptions>;

/** Parses `npm run check` arguments (without node, script and "check"); throws CliUsageError saying what is wrong. */
export function parseCheckCli(argv: string[]): CheckOptions {
  const { values, positionals } = parseArgv(argv, CHECK_OPTIONS, true);
  if (values.help === true) return CheckOptions.parse({ files: ['-'], help: true });
  if (positionals.length === 0) throw new CliUsageError('no FILE to check: give one or more answer files, or - for stdin');
  const parsed = CheckOptions.safeParse({ ...values, files: positionals });
  if (!parsed.success) throw new CliUsageError(usageMessage(parsed.error, values));
  return parsed.data;
}
