import type { Worker } from 'bullmq';
import type { WorkerMetrics } from '@nasfleet/metrics';
import type { QueueHandler, QueueName } from '@nasfleet/queues';

/**
 * Counts each try of a job the worker ends, from its BullMQ events (so tries that never reached the
 * handler, a malformed payload, count too): completed; retried (failed, BullMQ tries it again); or
 * failed for good (an UnrecoverableError, or its last try: BullMQ has set finishedOn).
 */
export function countJobs(worker: Worker, queue: QueueName, metrics: WorkerMetrics): void {
  worker.on('completed', () => metrics.job(queue, 'completed'));
  worker.on('failed', (job) => metrics.job(queue, job === undefined || job.finishedOn !== undefined ? 'failed' : 'retried'));
}

/** The handler, with the time spent in it counted as busy (the worker's busy seconds and fraction). */
export function timedHandler<Q extends QueueName>(handler: QueueHandler<Q>, metrics: WorkerMetrics): QueueHandler<Q> {
  return async (payload, ctx) => {
    const done = metrics.busy();
    try {
      return await handler(payload, ctx);
    } finally {
      done();
    }
  };
}
