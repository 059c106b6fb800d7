import { Architecture } from '@nasfleet/arch';
import { formatZodError, TrainJob, TrainJobResult } from '@nasfleet/contracts';
import type { DatasetRef, ModelFiles } from '@nasfleet/contracts';
import { holdOutValidation, searchDataset } from '@nasfleet/datasets';
import type { ImageDataset } from '@nasfleet/datasets';
import { selectBackend } from './backend.ts';
import { modelBytes } from './export-model.ts';
import { TrainConfig } from './train-config.ts';
import { trainProxy } from './train-proxy.ts';
import type { TrainResult } from './train-proxy.ts';

/**
 * How an architecture is trained and scored, with `TrainResult`'s contract: the fitness is top-1 on
 * the split `config.evaluate` names. Injectable so tests can stand in a slow or failing trainer.
 */
export type Trainer = (arch: Architecture, dataset: ImageDataset, config: TrainConfig, options?: { keepModel?: boolean }) => Promise<TrainResult>;

/** Loads the whole dataset a reference names (training and test splits); the step draws the hold-out itself. */
export type DatasetLoader = (ref: DatasetRef) => Promise<ImageDataset>;

/** A train job that cannot be run at all (malformed payload, unknown dataset): not a result of the candidate. */
export class TrainJobError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TrainJobError';
  }
}

export interface TrainStep {
  /** Trains one candidate; a bad network is a failed outcome, a bad job a TrainJobError. */
  run(job: unknown): Promise<TrainJobResult>;
  /** The images a reference trains and is scored on (cached per reference), e.g. for a local driver's report. */
  data(ref: DatasetRef): Promise<ImageDataset>;
}

/**
 * The train step: architecture + dataset reference + train config → outcome and metrics. Every
 * worker rebuilds the same seeded validation hold-out from the reference, so a candidate scores the
 * same wherever it trains; fitness is validation top-1 in percent, the test split is never read.
 * Imports nothing of the search engine: a training worker loads only this and TF.js. Selects the
 * TF.js backend (`selectBackend`) before the first job unless a stand-in trainer or `prepare` is given.
 */
export function createTrainStep(deps: { loadDataset: DatasetLoader; trainer?: Trainer; prepare?: () => Promise<unknown> }): TrainStep {
  const trainer = deps.trainer ?? trainProxy;
  // TF.js needs a backend before the first op; selecting one is what a worker does once, before its first job.
  const prepare = deps.prepare ?? (deps.trainer ? async () => undefined : () => selectBackend());
  let prepared: Promise<unknown> | null = null;
  const cache = new Map<string, Promise<ImageDataset>>();
  const data = (ref: DatasetRef): Promise<ImageDataset> => {
    const key = JSON.stringify(ref);
    let held = cache.get(key);
    if (!held) {
      held = deps.loadDataset(ref).then((dataset) => searchDataset(dataset, holdOutValidation(dataset, ref.trainSubset, ref.validation)));
      held.catch(() => cache.delete(key));
      cache.set(key, held);
    }
    return held;
  };
  return {
    data,
    async run(input) {
      const parsed = TrainJob.safeParse(input);
      if (!parsed.success) throw new TrainJobError(`the train job is malformed: ${formatZodError(parsed.error)}`);
      const job = parsed.data;
      const config = TrainConfig.safeParse(job.train);
      if (!config.success) throw new TrainJobError(`the train job's train config is invalid: ${formatZodError(config.error)}`);
      const arch = Architecture.safeParse(job.architecture);
      if (!arch.success) {
        return { candidateId: job.candidateId, outcome: { status: 'failed', failure: { class: 'invalid-artifact', message: `the architecture description is not valid: ${formatZodError(arch.error, { max: 8 })}` } }, metrics: {} };
      }
      await (prepared ??= prepare());
      // The hold-out is already the subset: the trainer uses all of its training part and scores validation.
      const trained = await trainer(arch.data, await data(job.dataset), { ...config.data, trainSubset: null, evaluate: 'validation' }, { keepModel: job.export });
      let model: ModelFiles | undefined;
      if (trained.model) {
        try {
          // The input normalisation travels with the weights: without it the model's input is unknown.
          const bytes = await modelBytes(trained.model, {
            candidateId: job.candidateId, searchId: job.searchId, dataset: job.dataset, trainConfig: config.data, validationAccuracy: trained.outcome.status === 'ok' ? trained.outcome.fitness : null,
            input: { scale: 1 / 255, ...trained.normalization, note: 'x = (pixel / 255 - mean[c]) / std[c], NHWC' },
          });
          model = { modelJson: bytes.modelJson, weightsBase64: Buffer.from(bytes.weights).toString('base64'), weightBytes: bytes.weights.byteLength };
        } finally {
          trained.model.dispose();
        }
      }
      const m = trained.metrics;
      const metrics: Record<string, number> = { trainMs: m.wallMs, steps: m.steps };
      if (m.imagesPerSec !== undefined) metrics.imagesPerSec = m.imagesPerSec;
      if (m.trainLoss !== undefined) metrics.trainLoss = m.trainLoss;
      const outcome = trained.outcome.status === 'ok' ? { status: 'ok' as const, fitness: 100 * trained.outcome.fitness } : trained.outcome;
      return TrainJobResult.parse({ candidateId: job.candidateId, outcome, metrics, ...(model ? { model } : {}) });
    },
  };
}
