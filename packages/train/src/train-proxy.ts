import * as tf from '@tensorflow/tfjs';
import type { Architecture } from '@nasfleet/arch';
import { Rng, type Failure, type Outcome } from '@nasfleet/contracts';
import { writeBatch, type BatchWriterOptions } from './batch-writer.ts';
import { backendHealthy, recoverWasmBackend } from './backend.ts';
import { buildModel, countTrainableParams, isDecayedWeight, ModelBuildError } from './build-model.ts';
import { channelStats, type ImageDataset, type ImageSplit } from './dataset.ts';
import { cosineLr, TrainConfig, type TrainConfigInput } from './train-config.ts';

/**
 * The one-epoch proxy of SPEC §2 with a custom loop: SGD momentum, coupled weight decay on
 * kernels, cosine lr per step, top-1 on the split the config names (`evaluate`: the validation
 * split during a search, the test split to report a result). Candidate failures (NaN loss, out of
 * memory, over time, a model that cannot be built) come back as data, never as throws.
 */

/** What one proxy training produced. `metrics` are present (possibly partial) even on failure. */
export interface TrainResult {
  outcome: Outcome;
  metrics: {
    /** Top-1 accuracy on the validation split, in [0, 1]; set (and the fitness) when the config's `evaluate` is 'validation'. */
    validationAccuracy?: number;
    /** Top-1 accuracy on the evaluated test images, in [0, 1]; set (and the fitness) when `evaluate` is 'test'. */
    testAccuracy?: number;
    /** Mean training loss over the last epoch's steps. */
    trainLoss?: number;
    params?: number;
    steps: number;
    wallMs: number;
    /** Training images per second (training steps only, evaluation excluded). */
    imagesPerSec?: number;
  };
  backend: string;
  /** The trained model when `keepModel` was asked for and training succeeded; the caller disposes it. */
  model?: tf.LayersModel;
  /** With `model`: how its input was normalised — pixel / 255, then (x − mean) / std per channel. */
  normalization?: { mean: number[]; std: number[] };
}

/** Options that are not part of the job payload. */
export interface TrainOptions {
  /** Keep the trained model (for export) instead of disposing it. */
  keepModel?: boolean;
  /** Clock, injectable for tests of the time budget. */
  now?: () => number;
}

function fail(cls: Failure['class'], message: string): Outcome {
  return { status: 'failed', failure: { class: cls, message: message.slice(0, 4000) } };
}

/** Classifies an error thrown while training a candidate; undefined for errors that are ours. */
export function classifyTrainingError(e: unknown): Failure | undefined {
  const msg = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  if (isWasmTrap(e)) {
    // XNNPACK logs "status 6" (out of memory) when it cannot allocate an operator, and the wasm backend
    // goes on with a null operator: the trap that follows is the allocation failure showing up.
    return { class: 'training-oom', message: `out of memory while training: the wasm module trapped (${msg}) after an allocation it could not make; use fewer parameters or smaller activations` };
  }
  if (/out of memory|\bOOM\b|Array buffer allocation failed|Cannot allocate|allocation failed|memory access out of bounds|Aborted\((OOM)?\)/i.test(msg)) {
    return { class: 'training-oom', message: `out of memory while training: ${msg}` };
  }
  if (/not yet supported|not registered for backend|dilation rates greater than 1/i.test(msg)) {
    return { class: 'unsupported-layer', message: `the training backend cannot train this network: ${msg}` };
  }
  return undefined;
}

/** A trap inside the wasm module (null function, unreachable, ...): its state is no longer trustworthy. */
export function isWasmTrap(e: unknown): boolean {
  // WebAssembly.RuntimeError (not in this package's ES lib typings) is an Error named 'RuntimeError'.
  return e instanceof Error && e.name === 'RuntimeError' && /null function|function signature mismatch|unreachable|out of bounds|divide by zero|integer overflow/.test(e.message);
}

/** Builds the architecture and trains it with `trainLayersModel`; a build failure is a 'shape' failure. */
export async function trainProxy(arch: Architecture, dataset: ImageDataset, config: TrainConfigInput = {}, options: TrainOptions = {}): Promise<TrainResult> {
  const start = (options.now ?? performance.now.bind(performance))();
  let built;
  try {
    built = buildModel(arch, TrainConfig.parse(config).seed);
  } catch (e) {
    const classified = e instanceof ModelBuildError ? { class: 'shape' as const, message: e.message } : classifyTrainingError(e);
    if (!classified) throw e;
    const wallMs = (options.now ?? performance.now.bind(performance))() - start;
    return { outcome: fail(classified.class, classified.message), metrics: { steps: 0, wallMs }, backend: tf.getBackend() };
  }
  return trainLayersModel(built.model, dataset, config, { ...options, startedAt: start });
}

/**
 * Trains an already built logits model (e.g. the NB201 network) on `dataset.train` and scores it on
 * the split `config.evaluate` names; only that split is read, so with 'validation' the test split
 * is never touched. The model is disposed afterwards unless `keepModel`; tf.memory().numTensors
 * returns to where it was. Throws RangeError (after disposing the model) when the scored split is
 * missing or empty: a caller's mistake, not the candidate's.
 */
export async function trainLayersModel(
  model: tf.LayersModel,
  dataset: ImageDataset,
  configInput: TrainConfigInput = {},
  options: TrainOptions & { startedAt?: number } = {},
): Promise<TrainResult> {
  const cfg = TrainConfig.parse(configInput);
  const scored = cfg.evaluate === 'validation' ? dataset.validation : dataset.test;
  if (!scored || scored.count === 0) {
    model.dispose();
    const hint = cfg.evaluate === 'validation' ? ': hold one out of the training split (splitValidation) or score the test split' : '';
    throw new RangeError(`the config scores the ${cfg.evaluate} split, but the dataset has no ${cfg.evaluate} images${hint}`);
  }
  const now = options.now ?? performance.now.bind(performance);
  const start = options.startedAt ?? now();
  const backend = tf.getBackend();
  const [h, w, c] = dataset.inputShape;
  const inShape = model.inputs[0]?.shape ?? [];
  const outShape = model.outputs[0]?.shape ?? [];
  const metrics: TrainResult['metrics'] = { steps: 0, wallMs: 0, params: countTrainableParams(model) };
  /** Known once the training images' statistics are (after the early refusals below). */
  const input: Pick<TrainResult, 'normalization'> = {};
  const done = (outcome: Outcome, keep = false): TrainResult => {
    metrics.wallMs = now() - start;
    if (!keep) model.dispose();
    return keep ? { outcome, metrics, backend, model, ...input } : { outcome, metrics, backend };
  };
  if (inShape.length !== 4 || inShape[1] !== h || inShape[2] !== w || inShape[3] !== c) {
    return done(fail('shape', `model input [${inShape.slice(1).join(', ')}] does not match the dataset's images [${h}, ${w}, ${c}]`));
  }
  const dilated = model.layers.find((l) => {
    const rate = (l.getConfig() as { dilationRate?: number | number[] }).dilationRate;
    return rate !== undefined && [rate].flat().some((r) => r > 1);
  });
  if (dilated) {
    // tfjs-core has no gradient for dilated conv2d / depthwise conv: refuse before any step,
    // since a throw in the middle of backprop strands the tape's saved tensors.
    return done(fail('unsupported-layer', `layer "${dilated.name}" uses dilationRate > 1, which TF.js cannot train; use dilation 1 (stack convolutions or stride instead)`));
  }
  if (outShape.length !== 2 || outShape[1] !== dataset.numClasses) {
    return done(fail('output', `model output [${outShape.slice(1).join(', ')}] must be ${dataset.numClasses} class scores`));
  }

  const nTrain = Math.min(cfg.trainSubset ?? dataset.train.count, dataset.train.count);
  const nScored = cfg.evaluate === 'test' ? Math.min(cfg.testSubset ?? scored.count, scored.count) : scored.count;
  const stats = channelStats(dataset.train, c, nTrain);
  const writer: BatchWriterOptions = { shape: [h, w, c], mean: stats.mean, std: stats.std, augment: cfg.augment ?? c === 3, cropPad: cfg.cropPad };
  input.normalization = { mean: stats.mean, std: stats.std };
  const rng = Rng.fromSeed(cfg.seed);
  const stepsPerEpoch = Math.ceil(nTrain / cfg.batchSize);
  const totalSteps = stepsPerEpoch * cfg.epochs;

  const vars = model.trainableWeights.map((lw) => ({ v: lw.read() as tf.Variable, decay: isDecayedWeight(lw.originalName) }));
  // Inside tidy: tf.variable keeps its initial tensor alive otherwise.
  const velocity = vars.map(({ v }) => tf.tidy(() => tf.variable(tf.zerosLike(v), false)));
  // TF.js draws dropout masks from an unseeded generator, so a network with dropout would train
  // differently each time: the search could not be replayed and a retrained network (the report's
  // test accuracy, the export) would not be the one the search scored. A fresh seed from `rng`
  // before each step keeps masks different across steps and the same across runs of one seed.
  const dropouts = model.layers.filter((l) => l.getClassName() === 'Dropout') as unknown as { seed?: number }[];
  const batchBuf = new Float32Array(cfg.batchSize * h * w * c);
  let trainSeconds = 0;
  try {
    let lossSum = 0;
    for (let epoch = 0; epoch < cfg.epochs; epoch++) {
      const order = rng.sample(Array.from({ length: nTrain }, (_, i) => i), nTrain);
      lossSum = 0;
      for (let s = 0; s < stepsPerEpoch; s++) {
        if (now() - start > cfg.timeBudgetMs) {
          return done(fail('training-timeout', `training ran past its time budget of ${Math.round(cfg.timeBudgetMs)} ms after ${metrics.steps} of ${totalSteps} steps`));
        }
        const t0 = performance.now();
        for (const d of dropouts) d.seed = rng.seed();
        const idx = order.slice(s * cfg.batchSize, (s + 1) * cfg.batchSize);
        const buf = batchBuf.subarray(0, idx.length * h * w * c);
        writeBatch(dataset.train, idx, buf, writer, rng);
        const labels = Int32Array.from(idx, (i) => dataset.train.labels[i] as number);
        const lr = cosineLr(cfg.learningRate, metrics.steps, totalSteps);
        const loss = tf.tidy(() => {
          const xs = tf.tensor4d(buf, [idx.length, h, w, c]);
          const ys = tf.oneHot(tf.tensor1d(labels, 'int32'), dataset.numClasses);
          const { value, grads } = tf.variableGrads(() => {
            const logits = model.apply(xs, { training: true }) as tf.Tensor;
            return tf.losses.softmaxCrossEntropy(ys, logits) as tf.Scalar;
          }, vars.map(({ v }) => v));
          const lrT = tf.scalar(lr);
          vars.forEach(({ v, decay }, i) => {
            let g = grads[v.name];
            if (!g) return; // a weight the loss does not reach (e.g. behind a zero branch)
            if (decay && cfg.weightDecay > 0) g = tf.add(g, tf.mul(v, cfg.weightDecay));
            const vel = velocity[i] as tf.Variable;
            vel.assign(tf.add(tf.mul(vel, cfg.momentum), g));
            v.assign(tf.sub(v, tf.mul(vel, lrT)));
          });
          return value.dataSync()[0] as number;
        });
        trainSeconds += (performance.now() - t0) / 1000;
        metrics.steps++;
        // Let timers and I/O run between steps: a worker's lock renewal, a test runner's RPC, a caller's
        // abort all wait on this thread while a step computes.
        await new Promise<void>((resolve) => setImmediate(resolve));
        if (!Number.isFinite(loss)) {
          return done(fail('training-nan', `loss became ${loss} at step ${metrics.steps} of ${totalSteps} (epoch ${epoch + 1}, lr ${lr.toPrecision(3)}): lower the learning rate, add normalisation or remove unstable activations`));
        }
        lossSum += loss;
      }
    }
    metrics.trainLoss = lossSum / stepsPerEpoch;
    metrics.imagesPerSec = (nTrain * cfg.epochs) / Math.max(trainSeconds, 1e-9);
    const accuracy = accuracyOn(model, scored, nScored, cfg.evalBatchSize, writer);
    metrics[cfg.evaluate === 'validation' ? 'validationAccuracy' : 'testAccuracy'] = accuracy;
    if (now() - start > cfg.timeBudgetMs) {
      return done(fail('training-timeout', `evaluation finished past the time budget of ${Math.round(cfg.timeBudgetMs)} ms`));
    }
    return done({ status: 'ok', fitness: accuracy }, options.keepModel === true);
  } catch (e) {
    const failure = classifyTrainingError(e);
    if (!failure) {
      model.dispose();
      throw e;
    }
    if (backend === 'wasm' && (isWasmTrap(e) || !backendHealthy())) {
      // The wasm module aborted or trapped (XNNPACK out of memory): nothing of it can be trusted or
      // disposed any more.
      // Restart it so that the next candidate is not blamed for this one.
      metrics.wallMs = now() - start;
      await recoverWasmBackend();
      return { outcome: { status: 'failed', failure: { ...failure, message: `${failure.message} (the wasm backend was restarted)` } }, metrics, backend };
    }
    return done({ status: 'failed', failure });
  } finally {
    if (backendHealthy()) velocity.forEach((v) => v.dispose());
  }
}

/** Top-1 accuracy of `model` on the first `n` images of `split` (no augmentation, inference mode), in [0, 1]. */
export function accuracyOn(model: tf.LayersModel, split: ImageSplit, n: number, batchSize: number, writer: BatchWriterOptions): number {
  const [h, w, c] = writer.shape;
  const plain = { ...writer, augment: false };
  const buf = new Float32Array(batchSize * h * w * c);
  let correct = 0;
  for (let s = 0; s < n; s += batchSize) {
    const count = Math.min(batchSize, n - s);
    const idx = Array.from({ length: count }, (_, i) => s + i);
    writeBatch(split, idx, buf, plain);
    const pred = tf.tidy(() => {
      const logits = model.predict(tf.tensor4d(buf.subarray(0, count * h * w * c), [count, h, w, c])) as tf.Tensor;
      return tf.argMax(logits, 1).dataSync();
    });
    for (let i = 0; i < count; i++) if (pred[i] === split.labels[s + i]) correct++;
  }
  return n > 0 ? correct / n : 0;
}
