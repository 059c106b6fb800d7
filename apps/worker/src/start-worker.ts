import { hostname } from 'node:os';
import { createWorkerMetrics, Registry, serveMetrics } from '@nasfleet/metrics';
import type { MetricsServer, WorkerMetrics } from '@nasfleet/metrics';
import { loadPromptSet } from '@nasfleet/prompts';
import { createQueueWorker } from '@nasfleet/queues';
import type { QueueName, QueueWorker, WorkerInfo } from '@nasfleet/queues';
import { checkingSpaces } from './checking-spaces.ts';
import type { WorkerConfig } from './config.ts';
import { logJobs } from './job-log.ts';
import { countJobs, timedHandler } from './job-metrics.ts';
import { createLlmHandler } from './llm-handler.ts';
import { createProviderCache } from './provider-cache.ts';
import { createSpaceCache } from './space-cache.ts';
import { createTrainHandler } from './train-handler.ts';

/** A started worker process's queue worker, and how to stop it. */
export interface RunningWorker {
  readonly queue: QueueName;
  readonly info: WorkerInfo;
  readonly worker: QueueWorker;
  /** Its Prometheus endpoint (null when METRICS_PORT is off). */
  readonly metrics: MetricsServer | null;
  /** Lets the jobs in progress finish (or, with `force`, leaves them to be retried as stalled), then closes every connection, space and the metrics endpoint. */
  close(force?: boolean): Promise<void>;
}

/**
 * Wires a worker of `config.role` to the real dependencies: the `llm` role takes GenerateJobs from
 * `llm` (spaces made from the jobs' refs, providers per server, this checkout's prompt set); the
 * `train` role takes TrainJobs from `train` and trains each in a sandboxed child process
 * (train-processor.ts, heap bounded by trainMemoryMb, killed past trainJobTimeoutMs). Each job's
 * return value is its result (a ResultMessage). Resolves once the worker is connected; `log` gets a line per job. Its metrics
 * (@nasfleet/metrics' worker instruments on a registry of its own) are served on `config.metrics`
 * first, so a port in use fails the start before any job is taken.
 */
export async function startWorker(config: WorkerConfig, log: (line: string) => void): Promise<RunningWorker> {
  const info: WorkerInfo = { id: config.workerId, host: hostname(), pid: process.pid };
  const registry = new Registry();
  const metrics = createWorkerMetrics(registry, { role: config.role, concurrency: config.concurrency });
  const server = config.metrics ? await serveWorkerMetrics(config.metrics, () => registry.metrics(), log) : null;
  try {
    return await startQueueWorker(config, info, metrics, server, log);
  } catch (error) {
    await server?.close();
    throw error;
  }
}

/** serveMetrics on the configured port; when that is the default and taken (a second worker on the machine), on any free port, logged. */
async function serveWorkerMetrics(where: NonNullable<WorkerConfig['metrics']>, render: () => Promise<string>, log: (line: string) => void): Promise<MetricsServer> {
  try {
    return await serveMetrics({ host: where.host, port: where.port, render });
  } catch (error) {
    if (!where.orFreePort || (error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    const server = await serveMetrics({ host: where.host, port: 0, render });
    log(`metrics port ${where.port} is in use (another worker on this machine?): serving on port ${server.port} instead; set METRICS_PORT per worker for a fixed one`);
    return server;
  }
}

async function startQueueWorker(config: WorkerConfig, info: WorkerInfo, metrics: WorkerMetrics, server: MetricsServer | null, log: (line: string) => void): Promise<RunningWorker> {
  const now = () => new Date();
  const common = { redisUrl: config.redisUrl, config: config.queue, concurrency: config.concurrency, name: config.workerId, onError: (e: Error) => log(`redis: ${e.message}`) };
  let worker: QueueWorker;
  let release = async (): Promise<void> => undefined;
  if (config.role === 'llm') {
    const spaces = createSpaceCache(checkingSpaces({ fashionMnistDir: config.fashionMnistDir }));
    const providers = createProviderCache({ timeoutMs: config.llmTimeoutMs, openAiApiKey: config.openAiApiKey, onChat: (r) => metrics.llmCall(r) });
    const prompts = loadPromptSet(config.promptsDir);
    const handler = createLlmHandler({ spaces, providers, prompts, worker: info, now, metrics });
    worker = createQueueWorker('llm', timedHandler(handler, metrics), common);
    release = () => spaces.close();
  } else {
    const handler = createTrainHandler({ timeoutMs: config.trainJobTimeoutMs, memoryMb: config.trainMemoryMb, worker: info, now, metrics });
    worker = createQueueWorker('train', timedHandler(handler, metrics), { ...common, sandbox: { processorFile: new URL('./train-processor.ts', import.meta.url), memoryMb: config.trainMemoryMb } });
  }
  const queue: QueueName = config.role;
  logJobs(worker.worker, queue, log);
  countJobs(worker.worker, queue, metrics);
  await worker.worker.waitUntilReady();
  return {
    queue, info, worker, metrics: server,
    async close(force = false) {
      await worker.worker.close(force);
      await Promise.all([release(), server?.close()]);
    },
  };
}
