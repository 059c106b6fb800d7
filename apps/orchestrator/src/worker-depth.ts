import { workerSlots } from '@nasfleet/queues';
import type { QueueProducer } from '@nasfleet/queues';

/**
 * Candidates in flight when the search leaves it to the workers: twice the job slots of the step that
 * takes longest (training slots for a space that trains, else LLM slots) plus the LLM slots, so that
 * training workers never wait for an LLM. Slots are the connected BullMQ workers' concurrency, read
 * from their client names (worker-slots.ts): a worker with concurrency 8 counts 8. At least 2, at
 * most 1000.
 */
export async function workerDepth(producer: QueueProducer, trains: boolean): Promise<number> {
  const llm = (await workerSlots(producer.queue('llm'))).slots;
  const train = trains ? (await workerSlots(producer.queue('train'))).slots : 0;
  return Math.max(2, Math.min(1000, trains ? 2 * train + llm : 2 * llm));
}
