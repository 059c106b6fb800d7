import { architectureHash, checkArchitecture, descriptorVector } from '@nasfleet/arch';
import { architectureFromAnswer } from '@nasfleet/sandbox';
import type { CandidateResult, Failure } from '@nasfleet/contracts';
import { trainProxy, TrainConfig } from '@nasfleet/train';
import type { ImageDataset, TrainResult } from '@nasfleet/train';
import type { Architecture } from '@nasfleet/arch';
import { z } from 'zod';
import { holdOutValidation, searchDataset, ValidationConfig } from './hold-out.ts';

/** Caps checked before any weight is allocated, and the sandbox's limits. */
export const CodeEvaluatorConfig = z.object({
  caps: z
    .object({
      /** Parameters (TF.js countParams). */
      maxParams: z.number().positive().default(5_000_000),
      /** Multiply-adds per example (NB201's FLOPs convention). */
      maxFlops: z.number().positive().default(500_000_000),
      /** Summed activation bytes per example. */
      maxActivationBytes: z.number().positive().default(64 * 1024 * 1024),
    })
    .prefault({}),
  sandbox: z.object({ timeoutMs: z.number().positive().default(1000), memoryBytes: z.number().positive().default(32 * 1024 * 1024) }).prefault({}),
  /** Training of each candidate; `trainSubset` bounds the images the validation hold-out is drawn from. */
  train: TrainConfig.prefault({}),
  validation: ValidationConfig.prefault({}),
});
export type CodeEvaluatorConfig = z.input<typeof CodeEvaluatorConfig>;

/**
 * How an architecture is trained and scored, with `TrainResult`'s contract: the fitness is top-1 on
 * the split `config.evaluate` names. Injectable so tests can stand in a slow or failing trainer.
 */
export type Trainer = (arch: Architecture, dataset: ImageDataset, config: z.infer<typeof TrainConfig>) => Promise<TrainResult>;

export interface CodeEvaluator {
  /** Sandbox → checks → de-duplication → proxy training. Never throws for a bad candidate. */
  evaluate(id: string, artifact: string | null): Promise<CandidateResult>;
  /** Distinct architectures trained so far. */
  readonly trained: number;
  /** The caps in force (defaults filled in). */
  readonly caps: { maxParams: number; maxFlops: number; maxActivationBytes: number };
  /** What candidates train and are scored on: the training images less the validation hold-out, the hold-out, no test images. */
  readonly data: ImageDataset;
}

/**
 * The open-code-space evaluator. A broken answer is classified in milliseconds (extraction,
 * syntax, sandbox, shape, output, over-budget) without touching the trainer; an architecture
 * already trained (same canonical hash) is answered from the cache, never trained twice.
 * Fitness = top-1 accuracy in percent on a seeded, stratified validation hold-out of the training
 * images (`config.validation`), trained on the rest; the test split is never read, so the search
 * cannot select on it. Descriptors = [width/depth ratio, FLOPs]. Throws RangeError at creation when
 * the hold-out cannot be drawn (too few images of a class).
 */
export function createCodeEvaluator(dataset: ImageDataset, config: CodeEvaluatorConfig = {}, trainer: Trainer = trainProxy): CodeEvaluator {
  const cfg = CodeEvaluatorConfig.parse(config);
  const data = searchDataset(dataset, holdOutValidation(dataset, cfg.train.trainSubset, cfg.validation));
  // The parts are already the subset: the trainer uses all of `data.train` and scores `data.validation`.
  const trainConfig = { ...cfg.train, trainSubset: null, evaluate: 'validation' as const };
  const seen = new Map<string, { id: string; result: CandidateResult }>();
  const failed = (id: string, artifact: string | null, failure: Failure, metrics: Record<string, number>): CandidateResult => ({
    id, artifact, outcome: { status: 'failed', failure }, metrics,
  });

  return {
    caps: cfg.caps,
    data,
    get trained() {
      return seen.size;
    },
    async evaluate(id, artifact) {
      const started = performance.now();
      if (artifact === null) return failed(id, null, { class: 'extraction', message: 'the operator produced no code' }, {});
      const parsed = await architectureFromAnswer(artifact, { inputShape: dataset.inputShape, numClasses: dataset.numClasses, ...cfg.sandbox });
      if (!parsed.ok) return failed(id, artifact, parsed.failure, { checkMs: performance.now() - started });
      const checked = checkArchitecture(parsed.architecture, { numClasses: dataset.numClasses, inputShape: dataset.inputShape, ...cfg.caps });
      if (!checked.ok) return failed(id, parsed.code, checked.failure, { checkMs: performance.now() - started });
      const checkMs = performance.now() - started;
      const hash = architectureHash(checked.arch);
      const cached = seen.get(hash);
      if (cached) {
        return { ...structuredClone(cached.result), id, artifact: parsed.code, metrics: { ...cached.result.metrics, checkMs, duplicateOfIndex: Number(cached.id.replace(/\D/g, '')) } };
      }
      const trained = await trainer(checked.arch, data, trainConfig);
      const { report } = checked;
      const metrics: Record<string, number> = {
        checkMs, params: report.params, flops: report.flops, width: report.descriptors.width, depth: report.descriptors.depth,
        trainMs: trained.metrics.wallMs, steps: trained.metrics.steps,
      };
      if (trained.metrics.imagesPerSec !== undefined) metrics.imagesPerSec = trained.metrics.imagesPerSec;
      if (trained.metrics.trainLoss !== undefined) metrics.trainLoss = trained.metrics.trainLoss;
      const result: CandidateResult =
        trained.outcome.status === 'ok'
          ? { id, artifact: parsed.code, outcome: { status: 'ok', fitness: 100 * trained.outcome.fitness }, descriptors: descriptorVector(report.descriptors), metrics }
          : failed(id, parsed.code, trained.outcome.failure, metrics);
      seen.set(hash, { id, result });
      return result;
    },
  };
}
