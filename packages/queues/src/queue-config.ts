import { z } from 'zod';
import { formatZodError } from '@nasfleet/contracts';
import type { JobsOptions } from 'bullmq';
import type { QueueName } from './queue-names.ts';

/** How one queue's jobs are retried: only transient errors get here; the rest are UnrecoverableError and fail at once. */
const retryPolicy = (defaults: { attempts: number; backoffMs: number }) =>
  z
    .object({
      // Tries in all, the first included (BullMQ's default is 1: no retry at all).
      attempts: z.number().int().min(1).default(defaults.attempts),
      // Delay before the first retry; it doubles with each further retry (BullMQ's exponential backoff).
      backoffMs: z.number().int().positive().default(defaults.backoffMs),
      // Share of each delay drawn at random (0: none; 0.5: anywhere in [delay/2, delay]), so jobs that failed together do not come back together.
      jitter: z.number().min(0).max(1).default(0.5),
    })
    .prefault({});

/** Bounds on the finished jobs Redis keeps (BullMQ keeps every one forever by default). */
const retention = (defaults: { count: number; ageSeconds: number }) =>
  z
    .object({
      // The newest N are kept.
      count: z.number().int().nonnegative().default(defaults.count),
      // Older ones go (checked whenever another job finishes, not by a timer).
      ageSeconds: z.number().int().positive().default(defaults.ageSeconds),
    })
    .prefault({});

/**
 * Every setting of the fleet's queues, in one place, with its default. Parse what a config file or
 * the environment gives with it; every producer and worker takes the parsed value.
 */
export const QueueConfig = z.object({
  // Redis key prefix of every queue. A hash tag ({…}) puts all keys of all queues in one Redis Cluster slot, which BullMQ's multi-key scripts need.
  prefix: z.string().regex(/^\{[^{}]+\}$/, 'the prefix must be a Redis Cluster hash tag such as {nasfleet}').default('{nasfleet}'),
  // generate + check: an LLM server that is still unavailable after the provider's own retries gets two more chances, minutes apart.
  llm: retryPolicy({ attempts: 3, backoffMs: 30_000 }),
  // Training: a child process that died (killed, crashed) is tried once more; a candidate's own failure is a result, never a retry.
  train: retryPolicy({ attempts: 2, backoffMs: 5_000 }),
  // Completed jobs kept: a job's return value is its result, read from here when no orchestrator listened as it
  // finished (keep more than the candidates in flight across the fleet; a result removed unread is asked for again);
  // a repeated enqueue of a kept job is still a no-op.
  removeOnComplete: retention({ count: 1_000, ageSeconds: 24 * 3600 }),
  // Failed jobs kept longer: they are what an operator looks at.
  removeOnFail: retention({ count: 10_000, ageSeconds: 7 * 24 * 3600 }),
  // A worker's lock on its job; renewed at half this by the worker's main thread (never blocked: CPU work runs in children or threads).
  lockDurationMs: z.number().int().positive().default(30_000),
  // How often a worker looks for jobs whose lock expired (their worker died) and puts them back.
  stalledIntervalMs: z.number().int().positive().default(30_000),
  // A job that stalls more often than this is failed (a job that kills its worker every time must not cycle forever).
  maxStalledCount: z.number().int().nonnegative().default(1),
  // Per-minute completed/failed counts a worker records for metrics (1440 = one day).
  metricsDataPoints: z.number().int().positive().default(1440),
});
/** The parsed config (every default filled in). */
export type QueueConfig = z.output<typeof QueueConfig>;
/** The config as written (every field optional). */
export type QueueConfigInput = z.input<typeof QueueConfig>;

/** Parses a queue config; a bad one throws an Error naming each bad field. */
export function parseQueueConfig(input: QueueConfigInput = {}): QueueConfig {
  const parsed = QueueConfig.safeParse(input);
  if (!parsed.success) throw new Error(`invalid queue config: ${formatZodError(parsed.error)}`);
  return parsed.data;
}

/** The options every job added to `queue` gets: its attempts, exponential backoff with jitter, and the retention bounds. */
export function jobOptions(config: QueueConfig, queue: QueueName): JobsOptions {
  const policy = config[queue];
  return {
    attempts: policy.attempts,
    backoff: { type: 'exponential', delay: policy.backoffMs, jitter: policy.jitter },
    removeOnComplete: { count: config.removeOnComplete.count, age: config.removeOnComplete.ageSeconds },
    removeOnFail: { count: config.removeOnFail.count, age: config.removeOnFail.ageSeconds },
  };
}
