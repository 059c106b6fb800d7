import type { Job } from 'bullmq';
import { ResultMessage } from '@nasfleet/queues';
import type { QueueName, QueueProducer } from '@nasfleet/queues';

import { waitFor } from '@nasfleet/fleet-testing';

export { waitFor };

/** Every message on `results` for a candidate (in any state), parsed: what the orchestrator would get. */
export async function resultsFor(producer: QueueProducer, candidateId: string): Promise<ResultMessage[]> {
  const jobs = await producer.queue('results').getJobs(['wait', 'active', 'delayed', 'completed', 'failed', 'prioritized']);
  return jobs.filter((j) => (j.data as { candidateId?: string }).candidateId === candidateId).map((j) => ResultMessage.parse(j.data));
}


/** The job once it has finished (completed or failed): a result is published before its job completes, so a test waits for both. */
export function finishedJob(producer: QueueProducer, queue: QueueName, id: string): Promise<Job> {
  return waitFor(async () => {
    const job = await producer.queue(queue).getJob(id);
    return job?.finishedOn !== undefined && job;
  }, `job ${id} to finish`);
}
