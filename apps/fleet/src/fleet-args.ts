import { parseArgs } from 'node:util';
import { z } from 'zod';
import { formatZodError } from '@nasfleet/contracts';

export const DEFAULT_MODEL = 'qwen2.5-coder:7b';

export const FLEET_HELP = `npm run fleet -- [options]

Starts a whole fleet on this machine — a redis-server on a free port (or the one REDIS_URL names),
the orchestrator with its HTTP API, LLM workers and training workers, each its own process — submits
one search over the API, prints its progress and its result, and stops everything it started.

Search:
  --space nb201|code        nb201: the NAS-Bench-201 table (a look-up, no training; default);
                            code: TF.js networks trained on Fashion-MNIST (slow on CPUs)
  --dataset NAME            nb201: cifar10 (default), cifar100, ImageNet16-120
  --strategy NAME           llmatic (default), hybrid, feedback-memory, regularized-evolution, random
  --evaluations N           candidates to evaluate (default 100 for nb201, 6 for code)
  --seed N                  the search's seed (default 0)
  --depth N                 candidates in flight (default: derived from the workers)
  --replay                  one candidate in flight: the run equals the one-process run, byte for byte
LLM:
  --llm rule|ollama|openai  rule: the built-in rule-based operators, no LLM (default)
  --ollama-host URL         Ollama's address (default http://127.0.0.1:11434)
  --base-url URL            an OpenAI-compatible server's /v1 address (--llm openai; key in OPENAI_API_KEY)
  --model NAME              the generator model (default ${DEFAULT_MODEL})
  --improver-model NAME     the feedback loop's improver model (default: --model)
Fleet:
  --llm-workers N           LLM worker processes (default 1)
  --train-workers N         training worker processes (default 1)
  --port N                  the API's port (default: a free one)
  --keep                    keep the fleet running after the search ends (Ctrl-C stops it)
  --logs DIR                where each process's log goes (default: a new folder under the system's tmp)
  -h, --help                this text
`;

const count = (what: string, min: number, max: number) =>
  z.coerce.number({ error: `${what} must be a whole number` }).int(`${what} must be a whole number`).min(min, `${what} must be at least ${min}`).max(max, `${what} must be at most ${max}`);

/** What `npm run fleet` was asked to do, checked. */
export const FleetOptions = z.object({
  space: z.enum(['nb201', 'code'], { error: '--space must be nb201 or code' }).default('nb201'),
  dataset: z.enum(['cifar10', 'cifar100', 'ImageNet16-120'], { error: '--dataset must be cifar10, cifar100 or ImageNet16-120' }).default('cifar10'),
  strategy: z.string().min(1).default('llmatic'),
  evaluations: count('--evaluations', 1, 100_000).optional(),
  seed: count('--seed', 0, 2 ** 31 - 1).default(0),
  depth: count('--depth', 1, 1000).optional(),
  replay: z.boolean().default(false),
  llm: z.enum(['rule', 'ollama', 'openai'], { error: '--llm must be rule, ollama or openai' }).default('rule'),
  ollamaHost: z.url({ error: '--ollama-host must be a URL such as http://127.0.0.1:11434' }).optional(),
  baseUrl: z.url({ error: '--base-url must be a URL such as http://127.0.0.1:8000/v1' }).optional(),
  model: z.string().min(1).optional(),
  improverModel: z.string().min(1).optional(),
  llmWorkers: count('--llm-workers', 1, 64).default(1),
  trainWorkers: count('--train-workers', 0, 64).default(1),
  port: count('--port', 0, 65_535).default(0),
  keep: z.boolean().default(false),
  logs: z.string().min(1).optional(),
});
export type FleetOptions = z.output<typeof FleetOptions>;

/** A command line `npm run fleet` cannot run; the message says what was wrong. */
export class FleetUsageError extends Error {
  override name = 'FleetUsageError';
}

/** Parses argv (after `--`); null when help was asked for. Throws FleetUsageError naming each bad option. */
export function parseFleetArgs(argv: readonly string[]): FleetOptions | null {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv], allowPositionals: false, strict: true,
      options: {
        space: { type: 'string' }, dataset: { type: 'string' }, strategy: { type: 'string' }, evaluations: { type: 'string' }, seed: { type: 'string' },
        depth: { type: 'string' }, replay: { type: 'boolean' }, llm: { type: 'string' }, 'ollama-host': { type: 'string' }, 'base-url': { type: 'string' },
        model: { type: 'string' }, 'improver-model': { type: 'string' }, 'llm-workers': { type: 'string' }, 'train-workers': { type: 'string' },
        port: { type: 'string' }, keep: { type: 'boolean' }, logs: { type: 'string' }, help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    throw new FleetUsageError(`${(error as Error).message} (see npm run fleet -- --help)`);
  }
  if (values.help) return null;
  const camel = Object.fromEntries(Object.entries(values).map(([k, v]) => [k.replace(/-(\w)/g, (_, c: string) => c.toUpperCase()), v]));
  const parsed = FleetOptions.safeParse(camel);
  if (!parsed.success) throw new FleetUsageError(formatZodError(parsed.error));
  const o = parsed.data;
  if (o.space === 'code' && o.trainWorkers === 0) throw new FleetUsageError('--space code trains every candidate: it needs --train-workers 1 or more');
  if (o.llm !== 'ollama' && o.ollamaHost) throw new FleetUsageError('--ollama-host needs --llm ollama');
  if (o.llm !== 'openai' && o.baseUrl) throw new FleetUsageError('--base-url needs --llm openai');
  if (o.llm === 'rule' && (o.model || o.improverModel)) throw new FleetUsageError('--model and --improver-model need --llm ollama or openai');
  return o;
}

/** The search `npm run fleet` submits (the orchestrator's SearchSpec input). */
export function searchSpecOf(o: FleetOptions): Record<string, unknown> {
  const space = o.space === 'nb201' ? { name: 'nb201', options: { dataset: o.dataset } } : { name: 'code', options: { dataset: 'fashion-mnist' } };
  const endpoint = o.llm === 'ollama' ? (o.ollamaHost ?? 'http://127.0.0.1:11434') : o.llm === 'openai' ? (o.baseUrl ?? null) : null;
  const model = o.llm === 'rule' ? null : (o.model ?? DEFAULT_MODEL);
  return {
    space, config: { strategy: o.strategy, seed: o.seed }, evaluations: o.evaluations ?? (o.space === 'nb201' ? 100 : 6),
    llm: { provider: o.llm, endpoint, generatorModel: model, improverModel: o.llm === 'rule' ? null : (o.improverModel ?? model) },
    ...(o.depth !== undefined ? { depth: o.depth } : {}), replay: o.replay,
  };
}
