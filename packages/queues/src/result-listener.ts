import { QueueEvents } from 'bullmq';
import type { QueueEventsOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import { formatZodError } from '@nasfleet/contracts';
import { workerConnection } from './connections.ts';
import { jobIdFor } from './job-id.ts';
import type { JobStep } from './job-id.ts';
import { parseQueueConfig } from './queue-config.ts';
import type { QueueConfig, QueueConfigInput } from './queue-config.ts';
import { QUEUE_NAMES } from './queue-names.ts';
import type { QueueName } from './queue-names.ts';
import { ResultMessage } from './result-message.ts';

/** The step whose results a queue's jobs return. */
const STEP_OF: Record<QueueName, JobStep> = { llm: 'generate', train: 'train' };

/** What a finished job's return value is to the orchestrator. */
export type JobResult =
  | { kind: 'result'; message: ResultMessage }
  /** Not a candidate's step (an export): nobody's tell. */
  | { kind: 'other' }
  /** A return value that is no valid result of this job: a worker's bug; the reason says what was wrong. */
  | { kind: 'invalid'; reason: string };

/**
 * Reads a completed job's return value (parsed from JSON, as BullMQ hands it) as the result of the
 * job `jobId` on `queue`: a ResultMessage of the queue's step whose search, candidate and step give
 * back that job id (so a result can never be applied to another candidate). An export's job is 'other'.
 */
export function readJobResult(queue: QueueName, jobId: string, returnvalue: unknown): JobResult {
  if (queue === 'train' && jobId.startsWith('export|')) return { kind: 'other' };
  const parsed = ResultMessage.safeParse(returnvalue);
  if (!parsed.success) return { kind: 'invalid', reason: `${queue} job ${jobId} returned an invalid result: ${formatZodError(parsed.error)}` };
  const message = parsed.data;
  if (message.step !== STEP_OF[queue] || jobIdFor(message.step, message.searchId, message.candidateId) !== jobId) {
    return { kind: 'invalid', reason: `${queue} job ${jobId} returned the ${message.step} result of candidate ${message.candidateId} of search ${message.searchId}` };
  }
  return { kind: 'result', message };
}

export interface ResultListenerOptions {
  redisUrl: string;
  config?: QueueConfigInput | QueueConfig;
  /** Each valid result, in the order the queue's event stream has them (a job completes once, so once per try that completed). */
  onResult: (message: ResultMessage) => void;
  /** A completed job whose return value is no valid result (a worker's bug). */
  onInvalid?: (reason: string) => void;
  /** Connection errors (the listener reconnects and reads on from where it was). */
  onError?: (error: Error) => void;
}

/** A started listener: close stops reading. */
export interface ResultListener {
  close(): Promise<void>;
}

/**
 * Listens for results as jobs complete: BullMQ's QueueEvents on each queue reads the queue's event
 * stream (a blocking XREAD, from the last entry it read, across reconnects) and hands over each
 * `completed` event's return value, which BullMQ wrote in the same script that completed the job.
 * Nothing is acknowledged: a result the orchestrator missed (it was down, its store failed while
 * applying it) is still on its completed job, which a resumed or swept search reads (readJobResult).
 * Resolves once it knows where both queues' streams end: every job completed after it resolved is seen.
 */
export async function listenForResults(options: ResultListenerOptions): Promise<ResultListener> {
  const config = parseQueueConfig(options.config);
  const onError = options.onError ?? ((e: Error) => process.stderr.write(`[results] ${e.message}\n`));
  const listeners = QUEUE_NAMES.map((queue) => {
    // Not started yet: it reads from the stream's last entry as it is once connected (below), not from
    // whatever is last when its first XREAD happens to run ('$'), so nothing completed in between is missed.
    const events = new QueueEvents(queue, { connection: workerConnection(options.redisUrl), prefix: config.prefix, autorun: false });
    events.on('error', onError);
    events.on('completed', ({ jobId, returnvalue }) => {
      const read = readJobResult(queue, jobId, returnvalue);
      if (read.kind === 'result') options.onResult(read.message);
      else if (read.kind === 'invalid') options.onInvalid?.(read.reason);
    });
    return events;
  });
  const close = async () => {
    await Promise.all(listeners.map((l) => l.close()));
  };
  try {
    await Promise.all(
      listeners.map(async (events) => {
        await events.waitUntilReady();
        // The backend's client is the ioredis connection its options made (BullMQ's interface lists only what BullMQ calls).
        const client = (await events.getBackend().client) as unknown as Redis;
        const [last] = await client.xrevrange(events.keys.events ?? events.toKey('events'), '+', '-', 'COUNT', 1);
        (events.opts as QueueEventsOptions).lastEventId = last?.[0] ?? '0-0';
        events.run().catch((error: unknown) => onError(error instanceof Error ? error : new Error(String(error))));
      }),
    );
  } catch (error) {
    await close();
    throw error;
  }
  return { close };
}
