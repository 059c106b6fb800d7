import type { z } from 'zod';
import { GenerateJob, TrainJob } from '@nasfleet/contracts';
import { jobIdFor } from './job-id.ts';
import type { QueueName } from './queue-names.ts';
import { GenerateResultMessage, TrainResultMessage } from './result-message.ts';

/** A queue's contract: what a job carries, what its handler returns, and how a job's id derives from its payload. */
export interface QueueSpec<P extends z.ZodType, R extends z.ZodType> {
  readonly name: QueueName;
  readonly payload: P;
  readonly returns: R;
  jobId(payload: z.output<P>): string;
}

const spec = <P extends z.ZodType, R extends z.ZodType>(s: QueueSpec<P, R>): QueueSpec<P, R> => s;

/**
 * The queues' contracts. Both sides parse with these: a producer before it adds a job, a worker
 * before its handler sees one and after the handler returns (the result, which the orchestrator
 * parses again when it reads it).
 */
export const QUEUE_SPECS = {
  llm: spec({ name: 'llm', payload: GenerateJob, returns: GenerateResultMessage, jobId: (j) => jobIdFor('generate', j.searchId, j.request.id) }),
  train: spec({ name: 'train', payload: TrainJob, returns: TrainResultMessage, jobId: (j) => jobIdFor(j.export ? 'export' : 'train', j.searchId, j.candidateId) }),
};
export type QueueSpecs = typeof QUEUE_SPECS;

/** The payload a job of queue Q carries, parsed (defaults filled in). */
export type PayloadOf<Q extends QueueName> = z.output<QueueSpecs[Q]['payload']>;
/** The payload as a producer may write it (defaults optional). */
export type PayloadInputOf<Q extends QueueName> = z.input<QueueSpecs[Q]['payload']>;
/** What a handler of queue Q returns. */
export type ReturnOf<Q extends QueueName> = z.output<QueueSpecs[Q]['returns']>;
