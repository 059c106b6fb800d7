import type { SandboxedJob } from 'bullmq';
import { z } from 'zod';

/**
 * What a sandboxed child reports as its job's progress when it starts the job: its pid, and the lock
 * token of the try it runs, so the parent can kill exactly the child running this try of this job
 * (a pid left from an earlier try is never used).
 */
export const ChildProgress = z.object({ childPid: z.number().int().positive(), token: z.string().nullable() });
export type ChildProgress = z.infer<typeof ChildProgress>;

/**
 * The default export of a sandboxed processor file (the child process side of createQueueWorker's
 * `sandbox`): reports the child's pid as the job's progress, then runs `run` on the payload as the
 * parent parsed it (defaults filled in). What `run` returns goes back to the parent's handler
 * (`ctx.runInChild()`); what it throws fails the try there, an error named 'UnrecoverableError'
 * without retries.
 */
export function sandboxedProcessor<R>(run: (payload: unknown, job: SandboxedJob) => Promise<R>): (job: SandboxedJob, token?: string) => Promise<R> {
  return async (job, token) => {
    const progress: ChildProgress = { childPid: process.pid, token: token ?? null };
    await job.updateProgress(progress);
    return run(job.data, job);
  };
}
