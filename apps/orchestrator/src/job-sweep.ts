import type { Job } from 'bullmq';
import { jobIdFor } from '@nasfleet/queues';
import type { CandidateResult } from '@nasfleet/contracts';
import type { GenerateOutput, JobStep, QueueProducer } from '@nasfleet/queues';
import { assembleResult } from '@nasfleet/steps';

/** A candidate in flight whose job the sweep looks at: the step it waits for. */
export interface InFlightStep {
  id: string;
  step: JobStep;
}

/** A step whose job failed in a way no retry can help: the candidate is told as failed ('job-failed'). */
export interface DeadStep extends InFlightStep {
  reason: string;
}

/** When a job that used up its attempts is tried again: 2 s, 4 s, … after it failed, at most a minute. */
export const retryDelayMs = (retried: number): number => Math.min(60_000, 2_000 * 2 ** retried);

const queueOf = (step: JobStep) => (step === 'generate' ? 'llm' : 'train');

/**
 * Looks after the jobs of a search's candidates in flight, so that none waits forever:
 * - a `results` message whose consumption failed for good (its retries spent, or it stalled past
 *   BullMQ's limit) is retried: its result is not lost;
 * - a generate or train job that used up its attempts on errors that may pass (the LLM server down,
 *   a worker killed on every try) is retried after `retryDelayMs` (counted per candidate in `retried`),
 *   with fresh attempts: a search waits out an outage instead of spending its budget on it;
 * - one that failed before its attempts were used up failed with an UnrecoverableError (a malformed
 *   job, a bad dataset reference): it is returned, to be told as a failure.
 * A job that is not there (completed and removed, its result on its way) is left alone.
 */
export async function sweepJobs(
  producer: QueueProducer, searchId: string, steps: readonly InFlightStep[], retried: Map<string, number>, now: number, log: (line: string) => void,
): Promise<DeadStep[]> {
  const dead: DeadStep[] = [];
  for (const { id, step } of steps) {
    const jobId = jobIdFor(step, searchId, id);
    const result = await producer.queue('results').getJob(jobId);
    if (result && (await result.isFailed())) {
      log(`search ${searchId}: the ${step} result of ${id} failed to apply (${result.failedReason}); retrying it`);
      await result.retry('failed', { resetAttemptsMade: true });
      continue;
    }
    const job: Job | undefined = await producer.queue(queueOf(step)).getJob(jobId);
    if (!job || !(await job.isFailed())) continue;
    const attempts = job.opts.attempts ?? 1;
    if (job.attemptsMade < attempts) {
      dead.push({ id, step, reason: job.failedReason || 'the job failed and cannot be retried' });
      continue;
    }
    const k = retried.get(id) ?? 0;
    if (now - (job.finishedOn ?? 0) < retryDelayMs(k)) continue;
    retried.set(id, k + 1);
    log(`search ${searchId}: the ${step} job of ${id} failed on all ${attempts} tries (${job.failedReason}); trying it again (${k + 1})`);
    await job.retry('failed', { resetAttemptsMade: true });
  }
  return dead;
}

/**
 * The result told for a candidate whose job failed for good (`job-failed`): a failed generate step, or
 * (its check passed) a failed training, so what the candidate got that far is kept.
 */
export function deadJobResult(generated: GenerateOutput | null, dead: DeadStep): CandidateResult {
  const failure = { class: 'job-failed' as const, message: `the fleet could not run this candidate's ${dead.step} step: ${dead.reason}`.slice(0, 4000) };
  const generate = generated?.generate ?? { id: dead.id, answer: null, failure, feedback: null, calls: [] };
  const check = generated?.check ?? null;
  return dead.step === 'train' && check?.ok
    ? assembleResult(generate, check, { kind: 'evaluated', evaluation: { outcome: { status: 'failed', failure }, metrics: {} } })
    : assembleResult({ ...generate, answer: null, failure }, null, null);
}
