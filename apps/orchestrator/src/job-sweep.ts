import type { Job } from 'bullmq';
import { jobIdFor, readJobResult } from '@nasfleet/queues';
import type { CandidateResult } from '@nasfleet/contracts';
import type { GenerateOutput, JobStep, QueueProducer, ResultMessage } from '@nasfleet/queues';
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

/** What a sweep found: results to apply, steps to tell as failed, steps whose job is gone (to enqueue again). */
export interface SweepFindings {
  /** Results of completed jobs that were never applied (no orchestrator listened as they completed, or applying them failed). */
  completed: ResultMessage[];
  dead: DeadStep[];
  /** Steps whose job is not in Redis: removed (QueueConfig.removeOnComplete) before its result was read, or never added. */
  missing: InFlightStep[];
}

/** When a job that used up its attempts is tried again: 2 s, 4 s, … after it failed, at most a minute. */
export const retryDelayMs = (retried: number): number => Math.min(60_000, 2_000 * 2 ** retried);

const queueOf = (step: JobStep) => (step === 'generate' ? 'llm' : 'train');

/**
 * Looks after the jobs of a search's candidates in flight, so that none waits forever:
 * - a completed job's result is returned to be applied (the runner ignores one it has applied), and
 *   one that returned no valid result of its candidate is told as failed;
 * - a job that is not there is returned as missing: its result is lost (or it was never added), and
 *   only asking again can bring one;
 * - a generate or train job that used up its attempts on errors that may pass (the LLM server down,
 *   a worker killed on every try) is retried after `retryDelayMs` (counted per candidate in `retried`),
 *   with fresh attempts: a search waits out an outage instead of spending its budget on it;
 * - one that failed before its attempts were used up failed with an UnrecoverableError (a malformed
 *   job, a bad dataset reference): it is returned, to be told as a failure.
 * Jobs waiting, delayed or running are left alone.
 */
export async function sweepJobs(
  producer: QueueProducer, searchId: string, steps: readonly InFlightStep[], retried: Map<string, number>, now: number, log: (line: string) => void,
): Promise<SweepFindings> {
  const found: SweepFindings = { completed: [], dead: [], missing: [] };
  const { dead } = found;
  for (const { id, step } of steps) {
    const jobId = jobIdFor(step, searchId, id);
    const queue = producer.queue(queueOf(step));
    // The state first, then the job: a job read while active and then found completed would lack its return value.
    const state = await queue.getJobState(jobId);
    if (state !== 'completed' && state !== 'failed' && state !== 'unknown') continue;
    const job: Job | undefined = await queue.getJob(jobId);
    if (!job) {
      found.missing.push({ id, step });
      continue;
    }
    if (state === 'completed') {
      const read = readJobResult(queueOf(step), jobId, job.returnvalue);
      if (read.kind === 'result') found.completed.push(read.message);
      else dead.push({ id, step, reason: read.kind === 'invalid' ? read.reason : `job ${jobId} is not a ${step} job` });
      continue;
    }
    // Added between the two reads (unknown, then there): it is in flight.
    if (state !== 'failed') continue;
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
  return found;
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
