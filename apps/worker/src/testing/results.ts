import type { Job } from 'bullmq';
import { ResultMessage } from '@nasfleet/queues';
import type { QueueName, QueueProducer } from '@nasfleet/queues';

import { waitFor } from '@nasfleet/fleet-testing';

export { waitFor };

/** The results of a candidate's completed jobs on both queues (their return values), parsed: what the orchestrator would get. */
export async function resultsFor(producer: QueueProducer, candidateId: string): Promise<ResultMessage[]> {
  const jobs = [...(await producer.queue('llm').getJobs(['completed'])), ...(await producer.queue('train').getJobs(['completed']))];
  return jobs.map((j) => ResultMessage.parse(j.returnvalue)).filter((m) => m.candidateId === candidateId);
}


/** The job once it has finished (completed or failed). */
export function finishedJob(producer: QueueProducer, queue: QueueName, id: string): Promise<Job> {
  return waitFor(async () => {
    const job = await producer.queue(queue).getJob(id);
    return job?.finishedOn !== undefined && job;
  }, `job ${id} to finish`);
}
