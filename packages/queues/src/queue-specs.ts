import { z } from 'zod';
import { GenerateJob, TrainJob, TrainJobResult } from '@nasfleet/contracts';
import { jobIdFor } from './job-id.ts';
import type { QueueName } from './queue-names.ts';
import { GenerateOutput, ResultMessage } from './result-message.ts';

/** A queue's contract: what a job carries, what its handler returns, and how a job's id derives from its payload. */
export interface QueueSpec<P extends z.ZodType, R extends z.ZodType> {
  readonly name: QueueName;
  readonly payload: P;
  readonly returns: R;
  jobId(payload: z.output<P>): string;
}

const spec = <P extends z.ZodType, R extends z.ZodType>(s: QueueSpec<P, R>): QueueSpec<P, R> => s;

/**
 * The three queues' contracts. Both sides parse with these: a producer before it adds a job, a
 * worker before its handler sees one and after the handler returns.
 */
export const QUEUE_SPECS = {
  llm: spec({ name: 'llm', payload: GenerateJob, returns: GenerateOutput, jobId: (j) => jobIdFor('generate', j.searchId, j.request.id) }),
  train: spec({ name: 'train', payload: TrainJob, returns: TrainJobResult, jobId: (j) => jobIdFor(j.export ? 'export' : 'train', j.searchId, j.candidateId) }),
  // The orchestrator's handler returns nothing: what it does with a result goes to its store.
  results: spec({ name: 'results', payload: ResultMessage, returns: z.void(), jobId: (r) => jobIdFor(r.step, r.searchId, r.candidateId) }),
};
export type QueueSpecs = typeof QUEUE_SPECS;

/** The payload a job of queue Q carries, parsed (defaults filled in). */
export type PayloadOf<Q extends QueueName> = z.output<QueueSpecs[Q]['payload']>;
/** The payload as a producer may write it (defaults optional). */
export type PayloadInputOf<Q extends QueueName> = z.input<QueueSpecs[Q]['payload']>;
/** What a handler of queue Q returns. */
export type ReturnOf<Q extends QueueName> = z.output<QueueSpecs[Q]['returns']>;
