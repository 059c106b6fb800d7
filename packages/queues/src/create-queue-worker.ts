import { UnrecoverableError, Worker } from 'bullmq';
import type { Job, Processor, WorkerOptions } from 'bullmq';
import { fileURLToPath } from 'node:url';
import { formatZodError } from '@nasfleet/contracts';
import { childExecArgv } from './child-exec-argv.ts';
import { workerConnection } from './connections.ts';
import { parseQueueConfig } from './queue-config.ts';
import type { QueueConfig, QueueConfigInput } from './queue-config.ts';
import { slottedName } from './worker-slots.ts';
import type { QueueName } from './queue-names.ts';
import { QUEUE_SPECS } from './queue-specs.ts';
import type { PayloadOf, ReturnOf } from './queue-specs.ts';
import { ChildProgress } from './sandboxed-processor.ts';

/** What a handler knows of the try it runs. */
export interface JobContext {
  readonly jobId: string;
  /** This try's number, 1 for the first. */
  readonly attempt: number;
  /** Tries the job has in all. */
  readonly attempts: number;
  /** Aborted when the worker cancels the job. */
  readonly signal: AbortSignal | undefined;
  /**
   * Sandboxed workers only: runs this try in a child process (BullMQ's sandboxed processor, the
   * `sandbox.processorFile`), handing it the parsed payload; resolves with what the child's processor
   * returned, rejects when it threw or the child died. Once per try.
   */
  runInChild(): Promise<unknown>;
  /** Sandboxed workers only: SIGKILLs the child running this try, at once or as soon as it has reported its pid; nothing once runInChild has settled. */
  killChild(): void;
}

/** A queue's handler: the parsed payload in, the queue's result out. Throw UnrecoverableError for what a retry cannot fix, any other Error to be retried. */
export type QueueHandler<Q extends QueueName> = (payload: PayloadOf<Q>, ctx: JobContext) => Promise<ReturnOf<Q>>;

/** Where a sandboxed worker's child processes come from and what they may use. */
export interface SandboxOptions {
  /** A file whose default export is a `sandboxedProcessor(...)`; .ts works (the tsx loader is passed on, see childExecArgv). */
  processorFile: string | URL;
  /** V8 heap limit of each child (`--max-old-space-size`). */
  memoryMb?: number;
}

export interface QueueWorkerOptions {
  redisUrl: string;
  config?: QueueConfigInput | QueueConfig;
  /** Jobs run at once by this worker (default 1). */
  concurrency?: number;
  /** The worker's name as Redis shows it (CLIENT LIST, Queue.getWorkers), with its concurrency appended (`<name>#<slots>`, worker-slots.ts). */
  name?: string;
  /** Run the handler's jobs in child processes (see SandboxOptions and JobContext.runInChild). */
  sandbox?: SandboxOptions;
  /** Connection and internal errors (the worker goes on and reconnects). Default: one line on stderr. */
  onError?: (error: Error) => void;
}

/** A running worker: the BullMQ Worker (for its events), and close, which lets the jobs in progress finish. */
export interface QueueWorker {
  readonly worker: Worker;
  close(): Promise<void>;
}

const asError = (e: unknown): Error => (e instanceof Error ? e : new Error(typeof e === 'string' ? e : JSON.stringify(e)));

/**
 * A worker on one of the fleet's queues. The payload is parsed with the queue's schema before the
 * handler sees it: a malformed one fails at once as UnrecoverableError naming the field (a retry
 * would read the same bytes); what the handler returns is parsed too (a handler that returns a
 * malformed result is a bug no retry fixes: UnrecoverableError). Other errors are retried as the
 * job's options say (exponential backoff with jitter); a non-Error thrown is wrapped so BullMQ
 * retries it. With `sandbox`, the handler runs in this process (where the lock is renewed, so a busy
 * child never loses it) and hands the CPU-heavy part to a BullMQ sandboxed child process via
 * `ctx.runInChild()`; a child that dies (a wasm abort, a native crash, a kill) takes only its try
 * down, and BullMQ forks a fresh one.
 */
export function createQueueWorker<Q extends QueueName>(queue: Q, handler: QueueHandler<Q>, options: QueueWorkerOptions): QueueWorker {
  const config = parseQueueConfig(options.config);
  const spec = QUEUE_SPECS[queue];
  const run = async (job: Job, token: string | undefined, signal: AbortSignal | undefined, inChild: (() => Promise<unknown>) | null): Promise<unknown> => {
    const parsed = spec.payload.safeParse(job.data);
    if (!parsed.success) throw new UnrecoverableError(`malformed ${queue} job ${job.id}: ${formatZodError(parsed.error)}`);
    // The child is handed the parsed payload (defaults filled in), not the raw one.
    job.data = parsed.data;
    let settled = false;
    let childRun: Promise<unknown> | null = null;
    const killChild = (): void => {
      if (settled || !inChild) return;
      const progress = ChildProgress.safeParse(job.progress);
      if (progress.success && progress.data.token === (token ?? null)) {
        try {
          process.kill(progress.data.childPid, 'SIGKILL');
        } catch {
          // Already gone.
        }
        return;
      }
      setTimeout(killChild, 100);
    };
    const ctx: JobContext = {
      jobId: job.id ?? '',
      attempt: job.attemptsMade + 1,
      attempts: job.opts.attempts ?? 1,
      signal,
      runInChild() {
        if (!inChild) throw new Error(`the ${queue} worker has no sandbox: runInChild needs the sandbox option`);
        childRun ??= inChild().finally(() => {
          settled = true;
        });
        return childRun;
      },
      killChild,
    };
    let result: unknown;
    try {
      result = await (handler as (p: unknown, c: JobContext) => Promise<unknown>)(parsed.data, ctx);
    } catch (error) {
      throw asError(error);
    } finally {
      settled = true;
    }
    const checked = spec.returns.safeParse(result);
    if (!checked.success) throw new UnrecoverableError(`the ${queue} handler returned an invalid result for job ${job.id}: ${formatZodError(checked.error)}`);
    return checked.data;
  };

  const sandbox = options.sandbox;
  const opts: WorkerOptions = {
    connection: workerConnection(options.redisUrl),
    prefix: config.prefix,
    concurrency: options.concurrency ?? 1,
    lockDuration: config.lockDurationMs,
    stalledInterval: config.stalledIntervalMs,
    maxStalledCount: config.maxStalledCount,
    metrics: { maxDataPoints: config.metricsDataPoints },
    name: slottedName(options.name, options.concurrency ?? 1),
    ...(sandbox
      ? {
          useWorkerThreads: false,
          workerForkOptions: {
            execArgv: childExecArgv(process.execArgv, {
              processorFile: sandbox.processorFile instanceof URL ? fileURLToPath(sandbox.processorFile) : sandbox.processorFile,
              ...(sandbox.memoryMb !== undefined ? { memoryMb: sandbox.memoryMb } : {}),
            }),
          },
        }
      : {}),
  };
  const worker = sandbox
    ? new (sandboxedWorkerClass((job, token, signal, inChild) => run(job, token, signal, inChild)))(queue, sandbox.processorFile, opts)
    : new Worker(queue, (job, token, signal) => run(job, token, signal, null), opts);
  const onError = options.onError ?? ((e: Error) => process.stderr.write(`[${queue} worker] ${e.message}\n`));
  worker.on('error', onError);
  return { worker, close: () => worker.close() };
}

type Wrap = (job: Job, token: string | undefined, signal: AbortSignal | undefined, inChild: () => Promise<unknown>) => Promise<unknown>;

/**
 * A Worker whose sandboxed processor (BullMQ's child process pool) is not called directly but handed
 * to `wrap`, which runs in the worker's own process around it. createSandbox is BullMQ's seam for
 * this (protected, called from the constructor with the processor file).
 */
function sandboxedWorkerClass(wrap: Wrap): typeof Worker {
  return class SandboxedWorker extends Worker {
    protected override createSandbox(processor: string | URL | null | Processor): void {
      super.createSandbox(processor);
      const inChild = this.processFn;
      this.processFn = (job, token, signal) => wrap(job, token, signal, () => inChild.call(this, job, token, signal));
    }
  };
}
