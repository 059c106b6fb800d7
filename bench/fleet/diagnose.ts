import { QUEUE_NAMES } from '@nasfleet/queues';
import type { QueueProducer } from '@nasfleet/queues';
import type { NodeProcess } from '@nasfleet/fleet-testing';

/**
 * Why a search may not have ended: the failed tries of jobs on each queue (a job whose try failed
 * waits out its backoff, which stalls a benchmark for minutes; its reason and the top of its stack
 * say which component threw), then each fleet process's last lines.
 */
export async function describeTrouble(producer: QueueProducer, processes: Record<string, NodeProcess | null>, lines = 15): Promise<string> {
  const out: string[] = [];
  for (const name of QUEUE_NAMES) {
    const queue = producer.queue(name);
    // A try that failed and will be retried sits in 'delayed'; one out of tries in 'failed'.
    const jobs = [...(await queue.getFailed(0, 4)), ...(await queue.getDelayed(0, 4))];
    for (const job of jobs) {
      if (!job.failedReason) continue;
      out.push(`${name} job ${job.id} (${job.attemptsMade} tr${job.attemptsMade === 1 ? 'y' : 'ies'} failed): ${job.failedReason}`);
      out.push(...((job.stacktrace ?? []).at(-1) ?? '').split('\n').slice(1, 6).map((l) => `    ${l.trim()}`));
    }
  }
  for (const [name, p] of Object.entries(processes)) {
    if (!p) continue;
    out.push(`--- ${name} (pid ${p.pid}), last lines:`, ...p.lines.slice(-lines));
  }
  return out.join('\n');
}
