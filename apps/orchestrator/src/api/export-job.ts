import type { CheckResult } from '@nasfleet/contracts';
import { ModelFiles, TrainJobResult } from '@nasfleet/contracts';
import { jobIdFor, TrainResultMessage } from '@nasfleet/queues';
import type { QueueProducer } from '@nasfleet/queues';
import type { Trainable } from '../runner-types.ts';

/**
 * Exporting a fleet search's network with trained weights: a TrainJob with `export: true` for the
 * candidate's checked architecture, on the search's dataset reference and training config, taken by
 * a training worker like any other (the same seeded training, so the weights are the ones the search
 * scored); the job keeps its result (the model files) in BullMQ until it is removed. Nothing about it
 * goes through the search's journal: an export never changes a search.
 */

/** Where an export of one candidate stands. */
export type ExportState = 'not-requested' | 'waiting' | 'training' | 'done' | 'failed';

export interface ExportStatus {
  state: ExportState;
  /** With state done: the trained network's files; failed: why. */
  files: ModelFiles | null;
  validationAccuracy: number | null;
  error: string | null;
}

export { trainable } from '../runner-types.ts';

const exportJob = (producer: QueueProducer, searchId: string, candidateId: string) => producer.queue('train').getJob(jobIdFor('export', searchId, candidateId));

/** Where the export of `candidateId` stands (not-requested when no export job exists). */
export async function exportStatus(producer: QueueProducer, searchId: string, candidateId: string): Promise<ExportStatus> {
  const job = await exportJob(producer, searchId, candidateId);
  const none = { files: null, validationAccuracy: null, error: null };
  if (!job) return { state: 'not-requested', ...none };
  const state = await job.getState();
  if (state === 'failed') return { state: 'failed', ...none, error: job.failedReason || 'the export job failed' };
  if (state !== 'completed') return { state: state === 'active' ? 'training' : 'waiting', ...none };
  // The job returns a ResultMessage; an export kept from before results were return values holds the bare TrainJobResult.
  const message = TrainResultMessage.safeParse(job.returnvalue);
  const result = message.success ? { success: true as const, data: message.data.payload } : TrainJobResult.safeParse(job.returnvalue);
  if (!result.success) return { state: 'failed', ...none, error: 'the export job returned no valid result' };
  if (result.data.outcome.status === 'failed') return { state: 'failed', ...none, error: `training failed (${result.data.outcome.failure.class}): ${result.data.outcome.failure.message}` };
  const files = ModelFiles.safeParse(result.data.model);
  if (!files.success) return { state: 'failed', ...none, error: 'the export job returned no model files' };
  return { state: 'done', files: files.data, validationAccuracy: result.data.outcome.fitness, error: null };
}

/**
 * Asks a training worker to train `candidateId` again and keep its weights. A job that is there
 * already (waiting, training or done) is left as it is; a failed one is replaced. The job outlives
 * its completion (removeOnComplete: false): its result is the export.
 */
export async function requestExport(producer: QueueProducer, searchId: string, candidateId: string, check: Extract<CheckResult, { ok: true }>, space: Trainable): Promise<void> {
  const existing = await exportJob(producer, searchId, candidateId);
  if (existing && (await existing.isFailed())) await existing.remove();
  else if (existing) return;
  await producer.enqueueTrain({ searchId, candidateId, architecture: check.architecture, dataset: space.datasetRef, train: space.trainConfig, export: true }, { keepResult: true });
}

/** Removes the export job of `candidateId` and the model it kept: 'none' when there is none, 'training' (nothing removed) while a worker holds it. */
export async function removeExport(producer: QueueProducer, searchId: string, candidateId: string): Promise<'removed' | 'none' | 'training'> {
  const job = await exportJob(producer, searchId, candidateId);
  if (!job) return 'none';
  if (await job.isActive()) return 'training';
  await job.remove();
  return 'removed';
}
