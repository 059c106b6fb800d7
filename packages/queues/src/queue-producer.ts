import { Queue } from 'bullmq';
import { formatZodError } from '@nasfleet/contracts';
import { producerConnection } from './connections.ts';
import { jobOptions, parseQueueConfig } from './queue-config.ts';
import type { QueueConfig, QueueConfigInput } from './queue-config.ts';
import type { QueueName } from './queue-names.ts';
import { QUEUE_SPECS } from './queue-specs.ts';
import type { PayloadInputOf } from './queue-specs.ts';

/** A payload a producer was asked to send that its queue's schema rejects (a bug of the caller; nothing is added). */
export class QueuePayloadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'QueuePayloadError';
  }
}

/** The fleet's producers: each parses its payload, derives the job's id from it and adds it with the queue's options. */
export interface QueueProducer {
  /** Adds a GenerateJob to `llm`; returns its job id. Enqueueing the same search + candidate again adds nothing while the first is kept. */
  enqueueGenerate(job: PayloadInputOf<'llm'>): Promise<string>;
  /** Adds a TrainJob to `train`; returns its job id (same de-duplication). `keepResult`: the job stays after it ends (an export's result is its model). */
  enqueueTrain(job: PayloadInputOf<'train'>, options?: { keepResult?: boolean }): Promise<string>;
  /** The BullMQ queue behind a name (opened on first use), for inspection and metrics. */
  queue(name: QueueName): Queue;
  readonly config: QueueConfig;
  /** Closes every queue this producer opened. */
  close(): Promise<void>;
}

/**
 * Producers over the fleet's queues on one Redis. Connections fail fast (see producerConnection):
 * an enqueue while Redis is unreachable rejects; nothing is retried behind the caller's back.
 */
export function createQueueProducer(options: { redisUrl: string; config?: QueueConfigInput | QueueConfig }): QueueProducer {
  const config = parseQueueConfig(options.config);
  const open = new Map<QueueName, Queue>();
  const queue = (name: QueueName): Queue => {
    let q = open.get(name);
    if (!q) {
      q = new Queue(name, { connection: producerConnection(options.redisUrl), prefix: config.prefix, defaultJobOptions: jobOptions(config, name) });
      // Connection errors also reject the call that met them; the event only needs a listener so it is not thrown.
      q.on('error', () => undefined);
      open.set(name, q);
    }
    return q;
  };
  async function add<Q extends QueueName>(name: Q, input: PayloadInputOf<Q>, keep = false): Promise<string> {
    const { data, jobId } = parsedJob(name, input);
    const job = await queue(name).add(name, data, { jobId, ...(keep ? { removeOnComplete: false, removeOnFail: false } : {}) });
    return job.id ?? jobId;
  }
  function parsedJob<Q extends QueueName>(name: Q, input: PayloadInputOf<Q>): { data: unknown; jobId: string } {
    const spec = QUEUE_SPECS[name];
    const parsed = spec.payload.safeParse(input);
    if (!parsed.success) throw new QueuePayloadError(`cannot add to queue ${name}: ${formatZodError(parsed.error)}`);
    return { data: parsed.data, jobId: (spec.jobId as (p: unknown) => string)(parsed.data) };
  }
  return {
    config,
    enqueueGenerate: (job) => add('llm', job),
    enqueueTrain: (job, options) => add('train', job, options?.keepResult === true),
    queue,
    async close() {
      const queues = [...open.values()];
      open.clear();
      await Promise.all(queues.map((q) => q.close()));
    },
  };
}
