import type { QueueProducer } from '@nasfleet/queues';

/**
 * Candidates in flight when the search leaves it to the workers: twice the slots of the step that
 * takes longest (training workers for a space that trains, else LLM workers) plus the LLM workers,
 * so that training workers never wait for an LLM. Counts connected BullMQ workers: one with
 * concurrency > 1 counts once (set `depth` in the search then). At least 2, at most 1000.
 */
export async function workerDepth(producer: QueueProducer, trains: boolean): Promise<number> {
  const llm = (await producer.queue('llm').getWorkers()).length;
  const train = trains ? (await producer.queue('train').getWorkers()).length : 0;
  return Math.max(2, Math.min(1000, trains ? 2 * train + llm : 2 * llm));
}
