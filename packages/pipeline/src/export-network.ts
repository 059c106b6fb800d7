import { architectureFromAnswer } from '@nasfleet/sandbox';
import { exportModel, trainProxy, TrainConfig } from '@nasfleet/train';
import type { ExportedModel, ImageDataset, TrainConfigInput } from '@nasfleet/train';

export class ExportError extends Error {
  override name = 'ExportError';
}

/**
 * Trains a network given as code (the same proxy the search used) and saves it in TF.js format
 * (model.json + weights) with its readable code beside it. Throws ExportError when the code does
 * not yield a trainable network.
 */
export async function exportNetwork(code: string, dataset: ImageDataset, dir: string, train: TrainConfigInput = {}): Promise<ExportedModel & { accuracy: number }> {
  const parsed = await architectureFromAnswer(code, { inputShape: dataset.inputShape, numClasses: dataset.numClasses });
  if (!parsed.ok) throw new ExportError(`the code is not a valid network (${parsed.failure.class}): ${parsed.failure.message}`);
  const trained = await trainProxy(parsed.architecture, dataset, TrainConfig.parse(train), { keepModel: true });
  if (trained.outcome.status !== 'ok' || !trained.model) {
    throw new ExportError(`training failed: ${trained.outcome.status === 'failed' ? trained.outcome.failure.message : 'no model'}`);
  }
  try {
    const accuracy = trained.metrics.testAccuracy ?? NaN;
    const saved = await exportModel(trained.model, dir, {
      code: parsed.code,
      metadata: { dataset: dataset.name, accuracy, params: trained.metrics.params ?? null, trainConfig: TrainConfig.parse(train) },
    });
    return { ...saved, accuracy };
  } finally {
    trained.model.dispose();
  }
}
