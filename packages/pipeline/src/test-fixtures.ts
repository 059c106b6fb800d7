// Test-only helpers shared by this package's test files (not exported from the package).
import type { ImageDataset, ImageSplit } from '@nasfleet/datasets';
import type { TrainConfig, TrainResult } from '@nasfleet/train';
import type { Trainer } from '@nasfleet/train';

/**
 * `dataset` with its test split behind a getter that counts reads (`reads()`); with `forbid`, any read
 * throws instead, so a test fails the moment a search looks at the test split.
 */
export function watchTestSplit(dataset: ImageDataset, { forbid = false } = {}): { dataset: ImageDataset; reads: () => number } {
  let reads = 0;
  const { name, inputShape, numClasses, train } = dataset;
  const test = dataset.test;
  const watched = Object.defineProperty({ name, inputShape, numClasses, train }, 'test', {
    enumerable: true,
    get(): ImageSplit {
      if (forbid) throw new Error('the test split was read');
      reads += 1;
      return test;
    },
  }) as ImageDataset;
  return { dataset: watched, reads: () => reads };
}

/**
 * A trainer stand-in whose "network" always answers class 0, with the real trainer's contract: its
 * fitness is the share of class 0 in the split `config.evaluate` names (a RangeError when the dataset
 * lacks it). Records every call.
 */
export function classZeroTrainer(): Trainer & { calls: { dataset: ImageDataset; config: TrainConfig }[] } {
  const calls: { dataset: ImageDataset; config: TrainConfig }[] = [];
  const trainer = async (_arch: unknown, dataset: ImageDataset, config: TrainConfig): Promise<TrainResult> => {
    calls.push({ dataset, config });
    const scored = config.evaluate === 'validation' ? dataset.validation : dataset.test;
    if (!scored || scored.count === 0) throw new RangeError(`no ${config.evaluate} images`);
    const share = shareOfClass(scored, 0);
    const accuracy = config.evaluate === 'validation' ? { validationAccuracy: share } : { testAccuracy: share };
    return { outcome: { status: 'ok', fitness: share }, metrics: { ...accuracy, steps: 1, wallMs: 1, params: 1234, trainLoss: 1 }, backend: 'fake' };
  };
  return Object.assign(trainer, { calls });
}

/** Share of the images of `split` labelled `label`, in [0, 1]. */
export function shareOfClass(split: ImageSplit, label: number): number {
  return split.labels.filter((l) => l === label).length / split.count;
}
