import { getHeapStatistics } from 'node:v8';
import { UnrecoverableError } from 'bullmq';
import { z } from 'zod';
import { sandboxedProcessor } from '../sandboxed-processor.ts';

/**
 * A sandboxed processor for the tests (a child process): for a TrainJob whose architecture is
 * `{ holdMs, fail? }`, waits holdMs and answers an ok result whose metrics name this child's pid, its
 * V8 heap limit and the validation fraction it was handed (a default the parent filled in); `fail: 'unrecoverable'`
 * throws an UnrecoverableError instead.
 */
const Payload = z.object({
  candidateId: z.string(),
  architecture: z.object({ holdMs: z.number(), fail: z.literal('unrecoverable').optional() }),
  dataset: z.object({ validation: z.object({ fraction: z.number() }) }),
});

export default sandboxedProcessor(async (payload) => {
  const job = Payload.parse(payload);
  await new Promise((r) => setTimeout(r, job.architecture.holdMs));
  if (job.architecture.fail) throw new UnrecoverableError(`candidate ${job.candidateId} cannot be trained here`);
  return { candidateId: job.candidateId, outcome: { status: 'ok', fitness: 50 }, metrics: { pid: process.pid, fraction: job.dataset.validation.fraction, heapLimitMb: getHeapStatistics().heap_size_limit / 2 ** 20 } };
});
