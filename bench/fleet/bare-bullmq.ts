import { Queue, Worker } from 'bullmq';
import { jobIdFor, jobOptions, producerConnection, workerConnection } from '@nasfleet/queues';
import type { QueueConfig } from '@nasfleet/queues';
import { redisTrafficMeter } from './redis-traffic.ts';
import type { RedisTraffic } from './redis-traffic.ts';

/** What one bare run measured. */
export interface BareRun {
  jobs: number;
  concurrency: number;
  /** From before the first add to the last job's completion. */
  seconds: number;
  rate: number;
  /** What Redis processed for the timed jobs. */
  traffic: RedisTraffic;
}

/**
 * BullMQ by itself, as the fleet uses it: one Queue with the fleet's producer connection and the
 * llm queue's job options (attempts, backoff, retention), jobs added one at a time with a custom id
 * (the fleet's jobIdFor), each add awaited before the next (as the orchestrator enqueues), and one
 * Worker with the fleet's worker connection and worker settings (lock, stalled checks, metrics) whose
 * processor does nothing. Both in this process. A warm-up batch of `warmup` jobs first (connections,
 * JIT; as many as the pipeline's warm-up search has candidates, so both sides start equally warm), then
 * `jobs` jobs timed from before the first add to the last completion.
 */
export async function measureBareBullmq(options: { redisUrl: string; queueConfig: QueueConfig; jobs: number; warmup: number; concurrency: number; name: string }): Promise<BareRun> {
  const { redisUrl, queueConfig: config } = options;
  const queue = new Queue(options.name, { connection: producerConnection(redisUrl), prefix: config.prefix, defaultJobOptions: jobOptions(config, 'llm') });
  queue.on('error', () => undefined);
  let completed = 0;
  let waiting: { target: number; resolve: () => void } | null = null;
  const worker = new Worker(options.name, async () => undefined, {
    connection: workerConnection(redisUrl), prefix: config.prefix, concurrency: options.concurrency,
    lockDuration: config.lockDurationMs, stalledInterval: config.stalledIntervalMs, maxStalledCount: config.maxStalledCount, metrics: { maxDataPoints: config.metricsDataPoints },
  });
  worker.on('error', (e) => process.stderr.write(`[bare worker] ${e.message}\n`));
  worker.on('completed', () => {
    completed += 1;
    if (waiting && completed >= waiting.target) waiting.resolve();
  });
  const batch = async (tag: string, n: number): Promise<number> => {
    const target = completed + n;
    const done = new Promise<void>((resolve) => (waiting = { target, resolve }));
    const t0 = performance.now();
    for (let i = 0; i < n; i++) await queue.add(options.name, { i }, { jobId: jobIdFor('generate', tag, `c${String(i).padStart(6, '0')}`) });
    await done;
    return (performance.now() - t0) / 1000;
  };
  try {
    await worker.waitUntilReady();
    await batch(`${options.name}-warmup`, options.warmup);
    const meter = await redisTrafficMeter(redisUrl);
    const seconds = await batch(`${options.name}-timed`, options.jobs);
    const traffic = await meter();
    return { jobs: options.jobs, concurrency: options.concurrency, seconds, rate: options.jobs / seconds, traffic };
  } finally {
    await worker.close();
    await queue.obliterate({ force: true }).catch(() => undefined);
    await queue.close();
  }
}
