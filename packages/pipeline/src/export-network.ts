import { architectureFromAnswer } from '@nasfleet/sandbox';
import { exportModel, trainProxy, TrainConfig } from '@nasfleet/train';
import type { ExportedModel, ImageDataset, TrainConfigInput } from '@nasfleet/train';
import { holdOutValidation, reportDataset, ValidationConfig } from '@nasfleet/datasets';

export class ExportError extends Error {
  override name = 'ExportError';
}

/**
 * Trains a network given as code the way the search trained it (same proxy config and seed, same
 * training images: the training images less the same validation hold-out) and saves it in TF.js
 * format (model.json + weights) with its readable code beside it. `testAccuracy` is the saved
 * model's top-1 on the test split in percent (`train.testSubset` images of it), also written into
 * the model's metadata; with the search's configs it equals the search report's test accuracy.
 * Throws ExportError when the code does not yield a trainable network.
 */
export async function exportNetwork(
  code: string,
  dataset: ImageDataset,
  dir: string,
  train: TrainConfigInput = {},
  validation: ValidationConfig = {},
): Promise<ExportedModel & { testAccuracy: number }> {
  const parsed = await architectureFromAnswer(code, { inputShape: dataset.inputShape, numClasses: dataset.numClasses });
  if (!parsed.ok) throw new ExportError(`the code is not a valid network (${parsed.failure.class}): ${parsed.failure.message}`);
  const trainConfig = TrainConfig.parse(train);
  const data = reportDataset(dataset, holdOutValidation(dataset, trainConfig.trainSubset, validation), dataset.test);
  const trained = await trainProxy(parsed.architecture, data, { ...trainConfig, trainSubset: null, evaluate: 'test' }, { keepModel: true });
  if (trained.outcome.status !== 'ok' || !trained.model) {
    throw new ExportError(`training failed: ${trained.outcome.status === 'failed' ? trained.outcome.failure.message : 'no model'}`);
  }
  try {
    const testAccuracy = 100 * trained.outcome.fitness;
    const saved = await exportModel(trained.model, dir, {
      code: parsed.code,
      metadata: {
        dataset: dataset.name, testAccuracy, params: trained.metrics.params ?? null, trainConfig,
        validation: ValidationConfig.parse(validation), trainImages: data.train.count,
        // How the model's input must be prepared: without it the weights cannot be used.
        input: { scale: 1 / 255, ...trained.normalization, note: 'x = (pixel / 255 - mean[c]) / std[c], NHWC' },
      },
    });
    return { ...saved, testAccuracy };
  } finally {
    trained.model.dispose();
  }
}
