import type { Queue } from 'bullmq';

/**
 * The name a fleet worker runs under in Redis (CLIENT SETNAME, as BullMQ shows it in getWorkers):
 * its own name and its concurrency, `<name>#<slots>`, so that the orchestrator can count job slots
 * from the connected workers alone, with no registry to keep current.
 */
export const slottedName = (name: string | undefined, concurrency: number): string => `${name ?? 'worker'}#${concurrency}`;

/** A connected worker's job slots read from its client name; 1 when the name carries none (a worker not started by the fleet). */
export function slotsOf(rawName: string | undefined): number {
  const m = /#(\d{1,6})$/.exec(rawName ?? '');
  return m ? Math.max(1, Number(m[1])) : 1;
}

/** The workers connected to a queue and their job slots (concurrency) in all. */
export async function workerSlots(queue: Queue): Promise<{ workers: number; slots: number }> {
  const clients = await queue.getWorkers();
  let slots = 0;
  for (const client of clients) slots += slotsOf(typeof client.rawname === 'string' ? client.rawname : undefined);
  return { workers: clients.length, slots };
}

/** A fleet worker's own name from the name it runs under (`<name>#<slots>`; BullMQ's job.processedBy is that name too). */
export const workerNameOf = (slotted: string): string => slotted.replace(/#\d{1,6}$/, '');
