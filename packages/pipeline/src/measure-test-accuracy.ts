import { architectureFromAnswer } from '@nasfleet/sandbox';
import type { Failure } from '@nasfleet/contracts';
import { trainProxy, TrainConfig } from '@nasfleet/train';
import type { ImageDataset, TrainConfigInput } from '@nasfleet/train';
import type { Trainer } from '@nasfleet/train';
import { holdOutValidation, reportDataset } from '@nasfleet/datasets';
import type { ValidationConfig } from '@nasfleet/datasets';

/** The test accuracy of a returned network, in percent, or why it could not be measured. */
export type TestMeasurement = { testAccuracy: number; failure: null } | { testAccuracy: null; failure: Failure };

/**
 * Measures, once, the test accuracy of the network a search returned: retrains `code` with the
 * search's training config and seed on the same training images the search used (the training
 * images less the same validation hold-out) and scores it on the test split (`train.testSubset`
 * images of it). Training is seeded, so this is the network the search scored. The only place
 * of the open code space that reads the test split. A candidate failure comes back as data.
 */
export async function measureTestAccuracy(
  code: string,
  dataset: ImageDataset,
  options: { train?: TrainConfigInput; validation?: ValidationConfig; trainer?: Trainer } = {},
): Promise<TestMeasurement> {
  const train = TrainConfig.parse(options.train ?? {});
  const parsed = await architectureFromAnswer(code, { inputShape: dataset.inputShape, numClasses: dataset.numClasses });
  if (!parsed.ok) return { testAccuracy: null, failure: parsed.failure };
  const data = reportDataset(dataset, holdOutValidation(dataset, train.trainSubset, options.validation), dataset.test);
  const trained = await (options.trainer ?? trainProxy)(parsed.architecture, data, { ...train, trainSubset: null, evaluate: 'test' });
  return trained.outcome.status === 'ok' ? { testAccuracy: 100 * trained.outcome.fitness, failure: null } : { testAccuracy: null, failure: trained.outcome.failure };
}
