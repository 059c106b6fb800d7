import { UnrecoverableError } from 'bullmq';
import type { DatasetRef } from '@nasfleet/contracts';
import { loadFashionMnist } from '@nasfleet/datasets';
import type { ImageDataset } from '@nasfleet/datasets';
import { sandboxedProcessor } from '@nasfleet/queues';
import { createTrainStep, TrainJobError } from '@nasfleet/train';
import { readTrainChildConfig } from './config.ts';

/**
 * The training child process (a BullMQ sandboxed processor, forked by the train role's worker; it
 * inherits the worker's environment). Each child loads a dataset once, by reference, and keeps it
 * (createTrainStep also caches each reference's hold-out); TF.js's backend is selected before its
 * first job. A malformed job is an UnrecoverableError; a candidate's failure is a result.
 */
const { fashionMnistDir } = readTrainChildConfig();
let fashionMnist: Promise<ImageDataset> | null = null;

function loadDataset(ref: DatasetRef): Promise<ImageDataset> {
  if (ref.name !== 'fashion-mnist') return Promise.reject(new TrainJobError(`dataset.name: ${ref.name} is not available on this worker (it has fashion-mnist)`));
  fashionMnist ??= loadFashionMnist(fashionMnistDir).catch((error: unknown) => {
    fashionMnist = null;
    throw error;
  });
  return fashionMnist;
}

const step = createTrainStep({ loadDataset });

export default sandboxedProcessor(async (payload) => {
  try {
    return await step.run(payload);
  } catch (error) {
    if (error instanceof TrainJobError) throw new UnrecoverableError(error.message);
    throw error;
  }
});
