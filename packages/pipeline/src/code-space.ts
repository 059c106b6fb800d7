import { architectureHash, checkArchitecture, descriptorVector, initialArchitecture, printCode } from '@nasfleet/arch';
import { DatasetRef } from '@nasfleet/contracts';
import type { CheckResult, Failure } from '@nasfleet/contracts';
import { ValidationConfig } from '@nasfleet/datasets';
import type { ImageDataset } from '@nasfleet/datasets';
import { completeCodeBlock } from '@nasfleet/llm';
import { describeTask } from '@nasfleet/prompts';
import { architectureFromAnswer, CODE_CONTRACT } from '@nasfleet/sandbox';
import type { SearchSpace } from '@nasfleet/steps';
import { createTrainStep, TrainConfig } from '@nasfleet/train';
import type { Trainer } from '@nasfleet/train';
import { z } from 'zod';
import { createCodeRuleOperator } from './code-rule-operator.ts';

/** Default network-archive bounds for small proxies: width/depth ratio [0, 200], FLOPs [0.1 M, 100 M]. */
export const SMALL_PROXY_BOUNDS: [number, number][] = [[0, 200], [1e5, 1e8]];

/** The open code space's settings: caps checked before any weight is allocated, the sandbox's limits, training. */
export const CodeSpaceConfig = z.object({
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
  /** Network-archive descriptor bounds: width/depth ratio and FLOPs. */
  bounds: z.array(z.tuple([z.number(), z.number()])).default(SMALL_PROXY_BOUNDS),
});
export type CodeSpaceConfig = z.input<typeof CodeSpaceConfig>;

/** A dataset known by its name and shape before its images are read (what checking answers needs): `load` reads it. */
export interface DeferredDataset {
  name: string;
  inputShape: [number, number, number];
  numClasses: number;
  load(): Promise<ImageDataset>;
}

async function loadDeferred(deferred: DeferredDataset): Promise<ImageDataset> {
  const loaded = await deferred.load();
  if (loaded.inputShape.join('x') !== deferred.inputShape.join('x') || loaded.numClasses !== deferred.numClasses) {
    throw new Error(`${deferred.name} was declared ${deferred.inputShape.join('x')} with ${deferred.numClasses} classes but loaded as ${loaded.inputShape.join('x')} with ${loaded.numClasses}`);
  }
  return loaded;
}

/** The code space with what a report needs besides the SearchSpace contract. */
export interface CodeSpace extends SearchSpace {
  /** The caps in force (defaults filled in). */
  readonly caps: { maxParams: number; maxFlops: number; maxActivationBytes: number };
  /** What candidates train and are scored on: the training images less the validation hold-out, the hold-out, no test images. */
  readonly data: ImageDataset;
  /** The reference every train job names: workers rebuild `data` from it. */
  readonly datasetRef: DatasetRef;
  /** The train config every train job carries. */
  readonly trainConfig: TrainConfig;
}

/**
 * The open code space: the LLM writes TF.js code. `check` runs the answer in the sandbox and checks
 * the architecture against the caps, so a broken answer costs milliseconds and no training;
 * `evaluate` is the train step (proxy training, fitness = validation top-1 in percent on a seeded,
 * stratified hold-out of the training images; the test split is never read). Descriptors = [width/depth
 * ratio, FLOPs]; canonical hash = same network, however written. Rejects at creation when the hold-out
 * cannot be drawn (too few images of a class). From a DeferredDataset, nothing is read at creation:
 * `check` works at once, the images are loaded and the hold-out drawn (or refused) at the first
 * `evaluate`, and `data` throws until then.
 */
export async function createCodeSpace(dataset: ImageDataset | DeferredDataset, config: CodeSpaceConfig = {}, trainer?: Trainer): Promise<CodeSpace> {
  const cfg = CodeSpaceConfig.parse(config);
  const { trainSubset, ...trainConfig } = cfg.train;
  const datasetRef = DatasetRef.parse({ name: datasetName(dataset.name), trainSubset, validation: cfg.validation });
  const loadDataset = 'load' in dataset ? () => loadDeferred(dataset) : async () => dataset;
  const step = createTrainStep({ loadDataset, ...(trainer ? { trainer } : {}) });
  let data = 'load' in dataset ? null : await step.data(datasetRef);
  const shape = { inputShape: dataset.inputShape, numClasses: dataset.numClasses };
  const ctx = { ...shape, ...cfg.caps };
  const failed = (artifact: string | null, failure: Failure, checkMs: number): CheckResult => ({ ok: false, artifact, failure, metrics: { checkMs } });
  return {
    name: 'code',
    caps: cfg.caps,
    get data() {
      if (!data) throw new Error(`the ${dataset.name} images of this code space are read at its first evaluate`);
      return data;
    },
    datasetRef,
    trainConfig: { ...trainConfig, trainSubset: null, evaluate: 'validation' },
    brief: {
      space: 'code', answerContract: CODE_CONTRACT, fitnessUnit: 'percent',
      task: describeTask({ dataset: dataset.name, ...shape, ...cfg.caps, training: `Each network is trained for ${cfg.train.epochs} epoch(s) with SGD and scored by its top-1 accuracy on held-out images.` }),
    },
    initialArtifact: printCode(initialArchitecture(ctx), shape),
    descriptorBounds: cfg.bounds,
    ruleOperator: createCodeRuleOperator(ctx),
    dedup: true,
    answerComplete: completeCodeBlock,
    async check(answer) {
      const started = performance.now();
      const parsed = await architectureFromAnswer(answer, { ...shape, ...cfg.sandbox });
      if (!parsed.ok) return failed(answer, parsed.failure, performance.now() - started);
      const checked = checkArchitecture(parsed.architecture, ctx);
      if (!checked.ok) return failed(parsed.code, checked.failure, performance.now() - started);
      const { report } = checked;
      return {
        ok: true, artifact: parsed.code, architecture: checked.arch, canonicalHash: architectureHash(checked.arch), descriptors: descriptorVector(report.descriptors),
        metrics: { checkMs: performance.now() - started, params: report.params, flops: report.flops, width: report.descriptors.width, depth: report.descriptors.depth },
      };
    },
    async evaluate(checked, candidateId) {
      data ??= await step.data(datasetRef);
      const trained = await step.run({ searchId: 'local', candidateId, architecture: checked.architecture, dataset: datasetRef, train: trainConfig });
      return { outcome: trained.outcome, metrics: trained.metrics };
    },
  };
}

function datasetName(name: string): DatasetRef['name'] {
  const known = DatasetRef.shape.name.options.find((n) => n === name.toLowerCase());
  // A dataset a test builds (a slice, a synthetic one) still trains locally; its reference only has to be well-formed.
  return known ?? 'fashion-mnist';
}
