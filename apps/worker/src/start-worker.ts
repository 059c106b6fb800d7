import { hostname } from 'node:os';
import { loadPromptSet } from '@nasfleet/prompts';
import { createQueueProducer, createQueueWorker } from '@nasfleet/queues';
import type { QueueName, QueueWorker, WorkerInfo } from '@nasfleet/queues';
import { checkingSpaces } from './checking-spaces.ts';
import type { WorkerConfig } from './config.ts';
import { logJobs } from './job-log.ts';
import { createLlmHandler } from './llm-handler.ts';
import { createProviderCache } from './provider-cache.ts';
import { createSpaceCache } from './space-cache.ts';
import { createTrainHandler } from './train-handler.ts';

/** A started worker process's queue worker, and how to stop it. */
export interface RunningWorker {
  readonly queue: QueueName;
  readonly info: WorkerInfo;
  readonly worker: QueueWorker;
  /** Lets the jobs in progress finish (or, with `force`, leaves them to be retried as stalled), then closes every connection and space. */
  close(force?: boolean): Promise<void>;
}

/**
 * Wires a worker of `config.role` to the real dependencies: the `llm` role takes GenerateJobs from
 * `llm` (spaces made from the jobs' refs, providers per server, this checkout's prompt set); the
 * `train` role takes TrainJobs from `train` and trains each in a sandboxed child process
 * (train-processor.ts, heap bounded by trainMemoryMb, killed past trainJobTimeoutMs). Both publish
 * to `results`. Resolves once the worker is connected; `log` gets a line per job.
 */
export async function startWorker(config: WorkerConfig, log: (line: string) => void): Promise<RunningWorker> {
  const info: WorkerInfo = { id: config.workerId, host: hostname(), pid: process.pid };
  const producer = createQueueProducer({ redisUrl: config.redisUrl, config: config.queue });
  const publish = (result: Parameters<typeof producer.publishResult>[0]) => producer.publishResult(result);
  const now = () => new Date();
  const common = { redisUrl: config.redisUrl, config: config.queue, concurrency: config.concurrency, name: config.workerId, onError: (e: Error) => log(`redis: ${e.message}`) };
  let worker: QueueWorker;
  let release = async (): Promise<void> => undefined;
  if (config.role === 'llm') {
    const spaces = createSpaceCache(checkingSpaces({ fashionMnistDir: config.fashionMnistDir }));
    const providers = createProviderCache({ timeoutMs: config.llmTimeoutMs, openAiApiKey: config.openAiApiKey });
    const prompts = loadPromptSet(config.promptsDir);
    worker = createQueueWorker('llm', createLlmHandler({ spaces, providers, prompts, publish, worker: info, now }), common);
    release = () => spaces.close();
  } else {
    const handler = createTrainHandler({ timeoutMs: config.trainJobTimeoutMs, memoryMb: config.trainMemoryMb, publish, worker: info, now });
    worker = createQueueWorker('train', handler, { ...common, sandbox: { processorFile: new URL('./train-processor.ts', import.meta.url), memoryMb: config.trainMemoryMb } });
  }
  const queue: QueueName = config.role;
  logJobs(worker.worker, queue, log);
  await worker.worker.waitUntilReady();
  return {
    queue, info, worker,
    async close(force = false) {
      await worker.worker.close(force);
      await Promise.all([release(), producer.close()]);
    },
  };
}
