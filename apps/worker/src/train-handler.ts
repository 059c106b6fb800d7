import { UnrecoverableError } from 'bullmq';
import { formatZodError, TrainJobResult } from '@nasfleet/contracts';
import type { Failure } from '@nasfleet/contracts';
import type { WorkerMetrics } from '@nasfleet/metrics';
import type { QueueHandler, WorkerInfo } from '@nasfleet/queues';

/** What the train role's handler works with. */
export interface TrainHandlerDeps {
  /** A try still running after this long is killed with its child and reported as 'training-timeout'. */
  timeoutMs: number;
  /** The child's heap limit, for the message when children keep dying. */
  memoryMb: number;
  worker: WorkerInfo;
  now: () => Date;
  /** Told of each result: its outcome, training seconds and images per second. */
  metrics: Pick<WorkerMetrics, 'candidate' | 'training'>;
}

/** How BullMQ's sandbox words a child that exited in the middle of a job. */
const CHILD_DIED = /^Unexpected exit code: (\S+) signal: (\S+)/;

/** A training result in the metrics. A result without trainMs did not train (an invalid architecture): no seconds. */
function observe(result: TrainJobResult, metrics: TrainHandlerDeps['metrics']): void {
  const ok = result.outcome.status === 'ok';
  metrics.candidate('train', result.outcome.status === 'ok' ? null : result.outcome.failure.class);
  const { trainMs, imagesPerSec } = result.metrics;
  if (trainMs !== undefined) metrics.training({ seconds: trainMs / 1000, ok, imagesPerSecond: imagesPerSec ?? null });
}

/**
 * The train role, in the worker's own process: runs the TrainJob in a sandboxed child
 * (train-processor.ts: createTrainStep on the dataset by reference), and returns its outcome as the
 * job's return value, a ResultMessage (the orchestrator reads it as the job completes). A candidate's own failure (NaN, OOM, a bad architecture) is a
 * result. So is a try that runs past `timeoutMs`: its child is killed ('training-timeout'), and a
 * child that died on every try of the job ('training-oom': a V8 heap abort, the kernel's OOM killer).
 * A child that died on an earlier try (a kill, a crash) fails only that try: BullMQ retries it with
 * backoff in a fresh child, and as a job completes once, exactly one result is returned. A malformed job
 * (an UnrecoverableError from the child) fails at once.
 */
export function createTrainHandler(deps: TrainHandlerDeps): QueueHandler<'train'> {
  return async (job, ctx) => {
    const startedAt = deps.now();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      ctx.killChild();
    }, deps.timeoutMs);
    const failed = (failure: Failure): TrainJobResult => ({
      candidateId: job.candidateId, outcome: { status: 'failed', failure }, metrics: { trainMs: deps.now().getTime() - startedAt.getTime() },
    });
    let result: TrainJobResult;
    try {
      const returned = TrainJobResult.safeParse(await ctx.runInChild());
      if (!returned.success) throw new UnrecoverableError(`the training child returned an invalid result: ${formatZodError(returned.error)}`);
      result = returned.data;
    } catch (error) {
      const died = error instanceof Error ? CHILD_DIED.exec(error.message) : null;
      if (timedOut) {
        result = failed({ class: 'training-timeout', message: `training ran past the worker's limit of ${deps.timeoutMs} ms and was stopped` });
      } else if (died && ctx.attempt >= ctx.attempts) {
        const how = died[2] !== 'null' ? `signal ${died[2]}` : `exit code ${died[1]}`;
        result = failed({
          class: 'training-oom',
          message: `the training process died (${how}) on each of its ${ctx.attempts} tries; the network most likely needs more memory than a worker allows (${deps.memoryMb} MiB of heap)`,
        });
      } else {
        throw error;
      }
    } finally {
      clearTimeout(timer);
    }
    // An export's result (the model files) is read from its kept job: it is no tell of the search, nor a candidate's outcome.
    if (!job.export) observe(result, deps.metrics);
    return { searchId: job.searchId, candidateId: job.candidateId, step: 'train', worker: deps.worker, startedAt: startedAt.toISOString(), finishedAt: deps.now().toISOString(), payload: result };
  };
}
