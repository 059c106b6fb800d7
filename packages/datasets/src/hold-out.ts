import { splitValidation } from './split-validation.ts';
import { takeFirst } from './image-dataset.ts';
import type { ImageDataset, ImageSplit } from './image-dataset.ts';
import { z } from 'zod';

/**
 * The hold-out a search in the open code space scores candidates on: a seeded, stratified share of
 * the training images (of the first `trainSubset` of them, when the training config sets one).
 */
export const ValidationConfig = z.object({
  /** Share of the training images held out for validation (used unless `count` is set). */
  fraction: z.number().gt(0).lt(1).default(0.1),
  /** A number of training images to hold out instead of a share. */
  count: z.number().int().positive().optional(),
  /** Seed of the draw; apart from the search's seed, so that runs with different seeds score on the same hold-out. */
  seed: z.number().int().nonnegative().default(0),
});
export type ValidationConfig = z.input<typeof ValidationConfig>;

/** The training images a candidate learns from and the validation images it is scored on. */
export interface HeldOut {
  train: ImageSplit;
  validation: ImageSplit;
}

const NO_IMAGES: ImageSplit = { images: new Uint8Array(0), labels: new Uint8Array(0), count: 0 };

/**
 * Splits the first `trainSubset` training images of `dataset` (all when null) into the images a
 * candidate trains on and a validation hold-out (`splitValidation`: seeded, stratified, disjoint).
 * Reads only the training split. Deterministic: the same dataset and config give the same parts,
 * which is what lets the final report and the export retrain on exactly what the search saw.
 * Throws RangeError (from `splitValidation`) when the hold-out cannot be drawn.
 */
export function holdOutValidation(dataset: ImageDataset, trainSubset: number | null, config: ValidationConfig = {}): HeldOut {
  const { fraction, count, seed } = ValidationConfig.parse(config);
  const imageBytes = dataset.inputShape[0] * dataset.inputShape[1] * dataset.inputShape[2];
  const pool = takeFirst(dataset.train, imageBytes, trainSubset ?? undefined);
  return splitValidation(pool, count !== undefined ? { count, seed } : { fraction, seed });
}

/** The dataset a search trains and scores on: the held-out parts and no test images at all. */
export function searchDataset(dataset: ImageDataset, parts: HeldOut): ImageDataset {
  return { ...datasetInfo(dataset), train: parts.train, validation: parts.validation, test: NO_IMAGES };
}

/** The dataset that reports a returned network: the training images the search used, scored on `test`. */
export function reportDataset(dataset: ImageDataset, parts: HeldOut, test: ImageSplit): ImageDataset {
  return { ...datasetInfo(dataset), train: parts.train, test };
}

// Field by field rather than a spread: a spread would read `dataset.test`, which a search must not touch.
function datasetInfo(dataset: ImageDataset): Omit<ImageDataset, 'train' | 'test' | 'validation'> {
  const { name, inputShape, numClasses, classNames } = dataset;
  return classNames ? { name, inputShape, numClasses, classNames } : { name, inputShape, numClasses };
}
