import { hostname } from 'node:os';
import { z } from 'zod';
import { formatZodError } from '@nasfleet/contracts';
import { FASHION_MNIST_DEBIAN_DIR } from '@nasfleet/datasets';
import { DEFAULT_PROMPTS_DIR } from '@nasfleet/prompts';
import { parseQueueConfig } from '@nasfleet/queues';
import type { QueueConfig } from '@nasfleet/queues';

/** The only place the worker reads its environment; everything else is handed what it needs. */

/** A message for a variable that is missing ("is required: …") or wrong ("must be …"). */
const required = (what: string) => (issue: { input?: unknown }) => (issue.input === undefined ? `is required: ${what}` : `must be ${what}`);
const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);
const PORT_OR_OFF = 'must be a TCP port (0 for any free one) or off';
/** The worker's metrics port when METRICS_PORT is unset (the OpenTelemetry exporters' Prometheus port). */
const DEFAULT_METRICS_PORT = 9464;

/** The worker's environment variables. Each has a default except REDIS_URL and WORKER_ROLE.
 * Each one's description is its entry in docs/configuration.md (`npm run config-docs`).
 */
export const WorkerEnv = z.object({
  REDIS_URL: z.string({ error: required('the Redis the fleet\'s queues live on, e.g. redis://127.0.0.1:6379') })
    .regex(/^rediss?:\/\/\S+$/, 'must be a redis:// or rediss:// URL, e.g. redis://127.0.0.1:6379').describe('The Redis the fleet\'s queues live on (redis:// or rediss://).'),
  WORKER_ROLE: z.enum(['llm', 'train'], { error: required('llm (generate + check) or train (training)') }).describe('llm: takes GenerateJobs (generate + check); train: takes TrainJobs (training in a child process).'),
  WORKER_CONCURRENCY: positiveInt(1).describe('Jobs at once: LLM calls wait on a server, so several; training is CPU-bound, so one per core (wasm is single-threaded).'),
  QUEUE_PREFIX: z.string().default('{nasfleet}').describe('The queues\' hash-tag key prefix; every process of one fleet uses the same.'),
  QUEUE_CONFIG: z.string().default('{}').describe('Further queue settings as JSON (see QueueConfig in @nasfleet/queues), e.g. {"train":{"attempts":3}}.'),
  WORKER_ID: z.string().min(1).optional().describe('This worker\'s name in results and logs.'),
  FASHION_MNIST_DIR: z.string().min(1).default(FASHION_MNIST_DEBIAN_DIR).describe('Where the Fashion-MNIST IDX files are (Debian\'s dataset-fashion-mnist installs them here).'),
  TRAIN_JOB_TIMEOUT_MS: positiveInt(45 * 60_000).describe('A training job still running after this long is killed with its child process and reported as \'training-timeout\'.'),
  TRAIN_MEMORY_MB: positiveInt(4096).describe('V8 heap limit of each training child process, in MiB.'),
  PROMPTS_DIR: z.string().min(1).default(DEFAULT_PROMPTS_DIR).describe('The prompt files; a GenerateJob rendered with another set (another hash) is refused.'),
  LLM_TIMEOUT_MS: positiveInt(300_000).describe('Limit on one LLM request (a 7B model on CPU needs minutes).'),
  OPENAI_API_KEY: z.string().optional().describe('Key an OpenAI-compatible server may ask for.'),
  METRICS_PORT: z.string().regex(/^(off|\d{1,5})$/, PORT_OR_OFF).refine((v) => v === 'off' || Number(v) <= 65_535, PORT_OR_OFF).optional().describe('Port of the worker\'s Prometheus endpoint (GET /metrics); 0: any free port (the log says which); off: no endpoint. Unset: 9464, or any free port when another process (a second worker on the machine) has 9464.'),
  METRICS_HOST: z.string().min(1).default('0.0.0.0').describe('Interface the metrics endpoint listens on; all of them by default, so Prometheus can scrape from another machine.'),
});

/** What a worker process runs with. */
export interface WorkerConfig {
  role: 'llm' | 'train';
  redisUrl: string;
  concurrency: number;
  queue: QueueConfig;
  workerId: string;
  fashionMnistDir: string;
  trainJobTimeoutMs: number;
  trainMemoryMb: number;
  promptsDir: string;
  llmTimeoutMs: number;
  openAiApiKey: string | null;
  /** Where GET /metrics is served (port 0: any free one); null: not served. `orFreePort`: the port is the default, so any free one will do when it is taken. */
  metrics: { host: string; port: number; orFreePort: boolean } | null;
}

/** The environment is unusable; the message names each variable and what it must be. */
export class WorkerConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WorkerConfigError';
  }
}

/** Reads and checks the worker's environment (process.env by default); throws WorkerConfigError naming every bad variable. */
export function readWorkerConfig(env: Record<string, string | undefined> = process.env): WorkerConfig {
  const parsed = WorkerEnv.safeParse(env);
  if (!parsed.success) throw new WorkerConfigError(`bad environment: ${formatZodError(parsed.error)}`);
  const e = parsed.data;
  let queueJson: unknown;
  try {
    queueJson = JSON.parse(e.QUEUE_CONFIG);
  } catch (error) {
    throw new WorkerConfigError(`bad environment: QUEUE_CONFIG: not JSON (${(error as Error).message})`);
  }
  let queue: QueueConfig;
  try {
    queue = parseQueueConfig({ ...(queueJson as object), prefix: e.QUEUE_PREFIX });
  } catch (error) {
    throw new WorkerConfigError(`bad environment: QUEUE_PREFIX / QUEUE_CONFIG: ${(error as Error).message}`);
  }
  return {
    role: e.WORKER_ROLE,
    redisUrl: e.REDIS_URL,
    concurrency: e.WORKER_CONCURRENCY,
    queue,
    workerId: e.WORKER_ID ?? `${hostname()}-${process.pid}`,
    fashionMnistDir: e.FASHION_MNIST_DIR,
    trainJobTimeoutMs: e.TRAIN_JOB_TIMEOUT_MS,
    trainMemoryMb: e.TRAIN_MEMORY_MB,
    promptsDir: e.PROMPTS_DIR,
    llmTimeoutMs: e.LLM_TIMEOUT_MS,
    openAiApiKey: e.OPENAI_API_KEY || null,
    metrics: e.METRICS_PORT === 'off' ? null : { host: e.METRICS_HOST, port: e.METRICS_PORT === undefined ? DEFAULT_METRICS_PORT : Number(e.METRICS_PORT), orFreePort: e.METRICS_PORT === undefined },
  };
}

/** What a training child process needs of the environment (it inherits the worker's): where the dataset is. */
export function readTrainChildConfig(env: Record<string, string | undefined> = process.env): { fashionMnistDir: string } {
  const parsed = WorkerEnv.pick({ FASHION_MNIST_DIR: true }).safeParse(env);
  if (!parsed.success) throw new WorkerConfigError(`bad environment: ${formatZodError(parsed.error)}`);
  return { fashionMnistDir: parsed.data.FASHION_MNIST_DIR };
}
