import type { Job, Worker } from 'bullmq';

/** One line per job a worker finishes or fails (a line per failed try), written by `write` (stderr in main). */
export function logJobs(worker: Worker, queue: string, write: (line: string) => void): void {
  const tries = (job: Job) => `try ${job.attemptsMade}/${job.opts.attempts ?? 1}`;
  const took = (job: Job) => (job.finishedOn !== undefined && job.processedOn !== undefined ? `${job.finishedOn - job.processedOn} ms` : '');
  worker.on('completed', (job, result: unknown) => {
    write(`${queue} job ${job.id} completed (${tries(job)}, ${took(job)})${describe(result)}`);
  });
  worker.on('failed', (job, error) => {
    if (!job) return write(`${queue} job failed: ${error.message}`);
    write(`${queue} job ${job.id} failed (${tries(job)}, ${took(job)}): ${error.message}`);
  });
}

/** The gist of a result (a ResultMessage) for the log line: the check's or the training's outcome. */
function describe(result: unknown): string {
  const r = (result as { payload?: unknown } | null)?.payload as { check?: { ok: boolean; failure?: { class: string } } | null; outcome?: { status: string; fitness?: number; failure?: { class: string } } } | null;
  if (r?.check !== undefined) return r.check === null ? ': no answer' : r.check.ok ? ': check ok' : `: check failed (${r.check.failure?.class})`;
  if (r?.outcome) return r.outcome.status === 'ok' ? `: fitness ${r.outcome.fitness}` : `: ${r.outcome.failure?.class}`;
  return '';
}
