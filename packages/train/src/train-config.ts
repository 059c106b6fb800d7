import { z } from 'zod';

/** The proxy-training configuration (SPEC §2 defaults). Parse untrusted job payloads with it. */
export const TrainConfig = z.object({
  /** Passes over the (subset of the) training split. */
  epochs: z.number().int().positive().default(1),
  batchSize: z.number().int().positive().default(128),
  /** Initial learning rate; decays to 0 with a cosine over all steps. */
  learningRate: z.number().positive().default(0.01),
  momentum: z.number().min(0).max(1).default(0.9),
  /** L2 on conv/dense kernels, added to the gradient as PyTorch SGD's weight_decay. */
  weightDecay: z.number().min(0).default(5e-4),
  /** Random crop (pad 4) + horizontal flip; unset: on for 3-channel (CIFAR-like) data, off otherwise. */
  augment: z.boolean().optional(),
  cropPad: z.number().int().nonnegative().default(4),
  /** Use only the first N training images (null: all). */
  trainSubset: z.number().int().positive().nullable().default(null),
  /**
   * The split that is scored (the fitness). A search scores 'validation', a split held out of the
   * training data (`splitValidation`), and never reads the test split; 'test' is for reporting the
   * network a search returned.
   */
  evaluate: z.enum(['validation', 'test']).default('test'),
  /** Score only the first N test images (null: the full test split); a validation split is scored in full. */
  testSubset: z.number().int().positive().nullable().default(null),
  /** Wall-clock budget for one candidate (build + train + evaluate), in ms. */
  timeBudgetMs: z.number().positive().default(30 * 60_000),
  evalBatchSize: z.number().int().positive().default(500),
  /** Seed for shuffling, augmentation and weight initialisation order. */
  seed: z.number().int().nonnegative().default(0),
});
export type TrainConfig = z.infer<typeof TrainConfig>;
export type TrainConfigInput = z.input<typeof TrainConfig>;

/** Learning rate at `step` of `totalSteps`: cosine decay from `lr0` to 0, per step. */
export function cosineLr(lr0: number, step: number, totalSteps: number): number {
  if (totalSteps <= 1) return lr0;
  return 0.5 * lr0 * (1 + Math.cos((Math.PI * step) / totalSteps));
}
