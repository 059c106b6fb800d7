import { z } from 'zod';
import { CliUsageError } from '../cli-errors.ts';
import { formatOptions, intOption, parseArgv, positiveOption, usageMessage } from '../parse-argv.ts';
import type { OptionTable } from '../parse-argv.ts';
import type { CliConfig } from '../config.ts';
import type { FleetTarget } from './fleet-client.ts';

/** The commands that talk to a fleet's HTTP API. */
export const FLEET_COMMANDS = ['submit', 'list', 'show', 'follow', 'cancel', 'export'] as const;
export type FleetCommand = (typeof FLEET_COMMANDS)[number];

/** True for the first word of a fleet command. */
export const isFleetCommand = (word: string): word is FleetCommand => (FLEET_COMMANDS as readonly string[]).includes(word);

/** Options every fleet command takes. */
const COMMON = {
  url: { type: 'string', value: 'URL', help: ['the orchestrator\'s API (default: NASFLEET_URL), e.g. http://head:8080'] },
  token: { type: 'string', value: 'TOKEN', help: ['its API_TOKEN (default: NASFLEET_TOKEN, which keeps it out of `ps`)'] },
  json: { type: 'boolean', help: ['print one JSON document on stdout (progress and messages go to stderr)'] },
  verbose: { type: 'boolean', help: ['on an error, print its stack too (as DEBUG=nasfleet does)'] },
  help: { type: 'boolean', short: 'h', help: ['print this help'] },
} satisfies OptionTable;

/** The options of show and follow (and every command's common part). */
export const CommonOptions = z.object({
  url: z.string().optional(),
  token: z.string().optional(),
  json: z.boolean().default(false),
  verbose: z.boolean().default(false),
  help: z.boolean().default(false),
});

/** `nasfleet submit`: the search spec from a JSON file and/or flags (flags win). */
export const SUBMIT_OPTIONS = {
  file: { type: 'string', value: 'FILE', help: ['a search spec as JSON (docs/api.md, docs/configuration.md); - reads stdin'] },
  space: { type: 'string', value: 'NAME', help: ['nb201 (default) | code'] },
  dataset: { type: 'string', value: 'NAME', help: ['nb201: cifar10 | cifar100 | imagenet16-120; code: fashion-mnist'] },
  signal: { type: 'string', value: 'NAME', help: ['nb201: val200 | val12'] },
  strategy: { type: 'string', value: 'NAME', help: ['llmatic | hybrid (default) | feedback-memory | random | regularized-evolution'] },
  seed: { type: 'string', value: 'N', help: ['the engine\'s seed (default 0)'] },
  evaluations: { type: 'string', value: 'N', help: ['the budget: candidates told (default 500 on nb201, 12 in the code space)'] },
  'train-subset': { type: 'string', value: 'N', help: ['code space: training images per candidate'] },
  epochs: { type: 'string', value: 'N', help: ['code space: training epochs per candidate'] },
  'learning-rate': { type: 'string', value: 'X', help: ['code space: initial learning rate'] },
  'batch-size': { type: 'string', value: 'N', help: ['code space: training batch size'] },
  llm: { type: 'string', value: 'NAME', help: ['rule (default: no LLM) | ollama | openai'] },
  endpoint: { type: 'string', value: 'URL', help: ['the LLM server as the workers reach it (Ollama host, or OpenAI base URL with /v1)'] },
  model: { type: 'string', value: 'NAME', help: ['the model that writes candidates (default qwen2.5-coder:7b with --llm ollama|openai)'] },
  'improver-model': { type: 'string', value: 'NAME', help: ['feedback-memory: the improver\'s model (default: --model)'] },
  'max-tokens': { type: 'string', value: 'N', help: ['cap on the tokens of one answer'] },
  depth: { type: 'string', value: 'N', help: ['candidates in flight (default: derived from the connected workers)'] },
  replay: { type: 'boolean', help: ['one candidate in flight, told in ask order: the local run, byte for byte'] },
  id: { type: 'string', value: 'ID', help: ['the new search\'s id (default: a UUID the orchestrator picks)'] },
  'idempotency-key': { type: 'string', value: 'KEY', help: ['submitting again with the same key creates nothing and answers the first search', '(default: a fresh one per run, reused when the submission is retried)'] },
  follow: { type: 'boolean', help: ['follow the search once it is submitted (as nasfleet follow)'] },
  ...COMMON,
} satisfies OptionTable;

const name = z.string().min(1, 'must not be empty');
export const SubmitOptions = CommonOptions.extend({
  file: z.string().min(1, 'must name a file (or - for stdin)').optional(),
  space: z.enum(['nb201', 'code']).optional(),
  dataset: z.enum(['cifar10', 'cifar100', 'imagenet16-120', 'fashion-mnist']).optional(),
  signal: z.enum(['val200', 'val12']).optional(),
  strategy: name.optional(),
  seed: intOption(0).optional(),
  evaluations: intOption(1, 1_000_000_000).optional(),
  trainSubset: intOption(1).optional(),
  epochs: intOption(1, 1000).optional(),
  learningRate: positiveOption(10).optional(),
  batchSize: intOption(1, 65_536).optional(),
  llm: z.enum(['rule', 'ollama', 'openai']).optional(),
  endpoint: z.string().regex(/^https?:\/\/[^\s/]+/, 'must be an http:// or https:// URL').optional(),
  model: name.optional(),
  improverModel: name.optional(),
  maxTokens: intOption(16, 65_536).optional(),
  depth: intOption(1, 1000).optional(),
  replay: z.boolean().optional(),
  id: name.optional(),
  idempotencyKey: name.optional(),
  follow: z.boolean().default(false),
});
export type SubmitOptions = z.infer<typeof SubmitOptions>;

export const LIST_OPTIONS = {
  status: { type: 'string', value: 'NAME', help: ['only searches with this status: running | paused | cancelled | done | failed'] },
  limit: { type: 'string', value: 'N', help: ['at most N, the most recent first (default 50, at most 500)'] },
  ...COMMON,
} satisfies OptionTable;
export const ListOptions = CommonOptions.extend({
  status: z.enum(['running', 'paused', 'cancelled', 'done', 'failed']).optional(),
  limit: intOption(1, 500).default(50),
});

export const SHOW_OPTIONS = { ...COMMON } satisfies OptionTable;
export const FOLLOW_OPTIONS = { ...COMMON } satisfies OptionTable;
export const CANCEL_OPTIONS = {
  wait: { type: 'boolean', help: ['wait until the search\'s orchestrator has cancelled it'] },
  timeout: { type: 'string', value: 'S', help: ['--wait: give up after S seconds (default 120)'] },
  ...COMMON,
} satisfies OptionTable;
export const CancelOptions = CommonOptions.extend({ wait: z.boolean().default(false), timeout: positiveOption(86_400).default(120) });

export const EXPORT_OPTIONS = {
  out: { type: 'string', value: 'DIR', help: ['the folder to write model.json, weights.bin, model.code.js and export.json to (created if need be)'] },
  timeout: { type: 'string', value: 'S', help: ['give up waiting for the training worker after S seconds (default 3600)'] },
  ...COMMON,
} satisfies OptionTable;
export const ExportOptions = CommonOptions.extend({ out: z.string({ error: 'is required: the folder to write the model to' }).min(1, 'must name a folder'), timeout: positiveOption(864_000).default(3600) });

const USAGES: Record<FleetCommand, { args: string; what: string; table: OptionTable }> = {
  submit: { args: '[options]', what: 'Submits a search; prints its id (the record with --json).', table: SUBMIT_OPTIONS },
  list: { args: '[options]', what: 'Lists the fleet\'s searches, the most recent first.', table: LIST_OPTIONS },
  show: { args: 'ID [options]', what: 'Shows a search: status, progress, outcomes by failure class, best, archives.', table: SHOW_OPTIONS },
  follow: {
    args: 'ID [options]',
    what: 'Follows a search\'s event stream to its end (a progress bar on a terminal, lines otherwise; a dropped\nconnection is resumed where it stopped) and prints its summary. Exit 1 when the search failed.',
    table: FOLLOW_OPTIONS,
  },
  cancel: { args: 'ID [options]', what: 'Asks the search\'s orchestrator to cancel it (for good).', table: CANCEL_OPTIONS },
  export: {
    args: 'ID --out DIR [options]',
    what: 'Code space: has a training worker train the best network again (the search\'s seeded way), waits,\nand downloads it as a TF.js model with its code. NAS-Bench-201 cells have no weights (exit 1, saying so).',
    table: EXPORT_OPTIONS,
  },
};

/** `nasfleet <command> --help`. */
export function fleetUsage(command: FleetCommand): string {
  const u = USAGES[command];
  return `usage: nasfleet ${command} ${u.args}\n\n${u.what}\n\n${formatOptions(u.table)}\n`;
}

/**
 * Parses a fleet command's argv against its table and schema; null when --help was given (whatever
 * else was). `id`: the one positional of show, follow, cancel and export. Throws CliUsageError.
 */
export function parseFleetArgv<S extends z.ZodType>(command: FleetCommand, argv: string[], schema: S, takesId: boolean): { options: z.output<S>; id: string } | null {
  const { values, positionals } = parseArgv(argv, USAGES[command].table, takesId);
  if (values.help === true) return null;
  const parsed = schema.safeParse(values);
  if (!parsed.success) throw new CliUsageError(usageMessage(parsed.error, values));
  if (!takesId) return { options: parsed.data, id: '' };
  if (positionals.length === 0) throw new CliUsageError(`nasfleet ${command} needs a search ID (nasfleet list shows them)`);
  if (positionals.length > 1) throw new CliUsageError(`nasfleet ${command} takes one search ID, got ${positionals.length}: ${positionals.join(' ')}`);
  return { options: parsed.data, id: positionals[0]! };
}

/** The fleet's URL and token, from the flags or else the environment; CliUsageError naming where each should come from. */
export function fleetTarget(flags: { url?: string | undefined; token?: string | undefined }, config: Pick<CliConfig, 'fleetUrl' | 'fleetToken'>): FleetTarget {
  const raw = flags.url ?? config.fleetUrl;
  const source = flags.url !== undefined ? '--url' : 'NASFLEET_URL';
  if (!raw) throw new CliUsageError('no fleet to talk to: pass --url URL or set NASFLEET_URL (the orchestrator\'s API, e.g. http://127.0.0.1:8080)');
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new CliUsageError(`${source} must be an http:// or https:// URL, got ${JSON.stringify(raw)}`);
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || !url.hostname) throw new CliUsageError(`${source} must be an http:// or https:// URL, got ${JSON.stringify(raw)}`);
  if (url.search || url.hash) throw new CliUsageError(`${source} must be the API's base URL, without ?query or #fragment, got ${JSON.stringify(raw)}`);
  // Routes resolve relative to the base, so a path prefix (the API behind a proxy) must end in a slash.
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  const token = flags.token ?? config.fleetToken;
  if (!token) throw new CliUsageError('no API token: pass --token TOKEN or set NASFLEET_TOKEN (the orchestrator\'s API_TOKEN)');
  return { url, token };
}
