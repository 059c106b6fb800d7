import { hostname } from 'node:os';
import { z } from 'zod';
import { formatZodError } from '@nasfleet/contracts';
import { DEFAULT_PROMPTS_DIR } from '@nasfleet/prompts';
import { parseQueueConfig } from '@nasfleet/queues';
import type { QueueConfig } from '@nasfleet/queues';

/** The only place the orchestrator reads its environment; everything else is handed what it needs. */

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

/** The orchestrator's environment variables; each has a default except REDIS_URL.
 * Each one's description is its entry in docs/configuration.md (`npm run config-docs`).
 */
export const OrchestratorEnv = z.object({
  REDIS_URL: z.string({ error: 'is required: the Redis the fleet lives on, e.g. redis://127.0.0.1:6379' }).regex(/^rediss?:\/\/\S+$/, 'must be a redis:// or rediss:// URL').describe('The Redis of the fleet\'s queues and of the search store.'),
  QUEUE_PREFIX: z.string().default('{nasfleet}').describe('The queues\' hash-tag key prefix (the store\'s keys share it); every process of one fleet uses the same.'),
  QUEUE_CONFIG: z.string().default('{}').describe('Further queue settings as JSON (QueueConfig in @nasfleet/queues).'),
  ORCHESTRATOR_ID: z.string().min(1).optional().describe('This orchestrator\'s name: the owner of its leases. A restarted orchestrator with the same id takes its searches back at once.'),
  LEASE_TTL_MS: positiveInt(30_000).describe('A search\'s lease lasts this long unless renewed (every third of it): how long a crashed orchestrator\'s searches wait for another one.'),
  POLL_MS: positiveInt(1_000).describe('How often the store is looked at for new or orphaned running searches.'),
  SNAPSHOT_EVERY: positiveInt(10).describe('A snapshot of a search every this many tells.'),
  TRIM_JOURNAL: z.enum(['true', 'false'], { error: 'must be true or false' }).default('true').describe('After each snapshot, drop the journal entries before the previous one (false: keep the whole journal, e.g. to audit every tell).'),
  SWEEP_MS: positiveInt(5_000).describe('How often each search\'s jobs are looked after (a job failed for good is retried or its candidate told as failed) and its derived depth recomputed.'),
  API_TOKEN: z.string().min(16, 'must be at least 16 characters (e.g. openssl rand -hex 24)').optional().describe('The HTTP API\'s bearer token (at least 16 characters). Unset: the API (and /metrics, which it serves) is off.'),
  API_HOST: z.string().min(1).default('0.0.0.0').describe('The interface the API listens on (0.0.0.0: all of them).'),
  API_PORT: z.coerce.number().int().min(0).max(65_535).default(8080).describe('The API\'s port (0: a free port, logged in the ready line).'),
  PROMPTS_DIR: z.string().min(1).default(DEFAULT_PROMPTS_DIR).describe('The prompt files new searches are made with (their hash is recorded in the search).'),
});

/** What an orchestrator process runs with. */
export interface OrchestratorConfig {
  redisUrl: string;
  queue: QueueConfig;
  orchestratorId: string;
  leaseTtlMs: number;
  pollMs: number;
  snapshotEvery: number;
  trimJournal: boolean;
  sweepMs: number;
  promptsDir: string;
  /** The HTTP API, or null when API_TOKEN is unset. */
  api: { token: string; host: string; port: number } | null;
}

/** The environment is unusable; the message names each variable. */
export class OrchestratorConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OrchestratorConfigError';
  }
}

/** Reads and checks the environment (process.env by default); throws OrchestratorConfigError naming every bad variable. */
export function readOrchestratorConfig(env: Record<string, string | undefined> = process.env): OrchestratorConfig {
  const parsed = OrchestratorEnv.safeParse(env);
  if (!parsed.success) throw new OrchestratorConfigError(`bad environment: ${formatZodError(parsed.error)}`);
  const e = parsed.data;
  let queue: QueueConfig;
  try {
    queue = parseQueueConfig({ ...(JSON.parse(e.QUEUE_CONFIG) as object), prefix: e.QUEUE_PREFIX });
  } catch (error) {
    throw new OrchestratorConfigError(`bad environment: QUEUE_PREFIX / QUEUE_CONFIG: ${(error as Error).message}`);
  }
  return {
    redisUrl: e.REDIS_URL, queue, orchestratorId: e.ORCHESTRATOR_ID ?? `${hostname()}-${process.pid}`,
    leaseTtlMs: e.LEASE_TTL_MS, pollMs: e.POLL_MS, snapshotEvery: e.SNAPSHOT_EVERY, trimJournal: e.TRIM_JOURNAL === 'true', sweepMs: e.SWEEP_MS, promptsDir: e.PROMPTS_DIR,
    api: e.API_TOKEN ? { token: e.API_TOKEN, host: e.API_HOST, port: e.API_PORT } : null,
  };
}
