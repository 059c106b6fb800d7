import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { DatasetRef, TrainJobResult } from '@nasfleet/contracts';
import type { TrainJob } from '@nasfleet/contracts';
import { holdOutValidation, loadFashionMnist } from '@nasfleet/datasets';
import type { ImageDataset } from '@nasfleet/datasets';
import { twoConvNet } from './arch-fixtures.ts';
import { createTrainStep, TrainJobError } from './train-job.ts';
import type { Trainer } from './train-job.ts';

/** The train step: a job payload → outcome and metrics, the data by reference; and what a training worker loads. */

const run = promisify(execFile);
const fashion = await loadFashionMnist(undefined, { subset: { train: 512, test: 100 } });

/** The dataset as a loader hands it over, except that reading its test split throws: a search must never touch it. */
function withSealedTest(dataset: ImageDataset): ImageDataset {
  const { name, inputShape, numClasses, classNames, train } = dataset;
  return {
    name, inputShape, numClasses, ...(classNames ? { classNames } : {}), train,
    get test(): ImageDataset['test'] {
      throw new Error('the test split was read');
    },
  };
}
const loader = () => vi.fn(async (_ref: DatasetRef) => withSealedTest(fashion));

const ref = { name: 'fashion-mnist', trainSubset: 512, validation: { count: 100, seed: 3 } } as const;
/** A job as it comes off a queue: plain JSON. */
const job = (over: Partial<Record<keyof TrainJob, unknown>> = {}): unknown =>
  JSON.parse(JSON.stringify({
    searchId: 's1', candidateId: 'c000003', architecture: twoConvNet([28, 28, 1], 10, 4), dataset: ref,
    train: { epochs: 1, batchSize: 64, learningRate: 0.05, seed: 1 }, ...over,
  }));

describe('createTrainStep: a real short training (Fashion-MNIST)', () => {
  it('an export job returns the network it trained as model files that load back and score what the job scored', async () => {
    const step = createTrainStep({ loadDataset: loader() });
    const plain = await step.run(job());
    const exported = await step.run(job({ export: true }));
    expect(plain.model).toBeUndefined();
    // The same seeded training: the exported network is the one the search scored.
    expect(exported.outcome).toEqual(plain.outcome);
    const files = exported.model!;
    const json = JSON.parse(files.modelJson) as { modelTopology: object; weightsManifest: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[]; userDefinedMetadata: Record<string, unknown> };
    expect(json.weightsManifest[0]!.paths).toEqual(['weights.bin']);
    expect(json.userDefinedMetadata).toMatchObject({ candidateId: 'c000003', searchId: 's1' });
    const weights = Buffer.from(files.weightsBase64, 'base64');
    expect(weights.byteLength).toBe(files.weightBytes);
    const model = await tf.loadLayersModel(tf.io.fromMemory({
      modelTopology: json.modelTopology, weightSpecs: json.weightsManifest[0]!.weights, weightData: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength) as ArrayBuffer,
    }));
    const hold = holdOutValidation(fashion, 512, { count: 100, seed: 3 });
    const input = json.userDefinedMetadata.input as { mean: number[]; std: number[] };
    const x = tf.tensor4d(Float32Array.from(hold.validation.images, (v) => (v / 255 - input.mean[0]!) / input.std[0]!), [hold.validation.count, 28, 28, 1]);
    const predicted = (model.predict(x) as tf.Tensor).argMax(-1).dataSync();
    const correct = [...predicted].filter((p, i) => p === hold.validation.labels[i]).length;
    expect(exported.outcome.status === 'ok' && exported.outcome.fitness).toBeCloseTo(correct, 6);
    x.dispose();
    model.dispose();
  }, 120_000);

  // No backend selected here: the step selects one before its first job, as a worker's would.
  it('trains on the hold-out\'s training part and scores the hold-out: an ok outcome in percent, with trainMs and steps; the test split is never read', async () => {
    const loadDataset = loader();
    const step = createTrainStep({ loadDataset });
    const r = await step.run(job());
    expect(TrainJobResult.parse(r)).toEqual(r);
    expect(r.candidateId).toBe('c000003');
    expect(r.outcome.status).toBe('ok');
    const fitness = r.outcome.status === 'ok' ? r.outcome.fitness : NaN;
    // Percent of 100 validation images: a whole number, above chance (10%) after 7 steps.
    expect(fitness).toBeGreaterThan(12);
    expect(fitness).toBeLessThanOrEqual(100);
    expect(Math.abs(fitness - Math.round(fitness))).toBeLessThan(1e-9);
    expect(r.metrics.steps).toBe(Math.ceil(412 / 64));
    expect(r.metrics.trainMs).toBeGreaterThan(0);
    expect(Number.isFinite(r.metrics.trainLoss)).toBe(true);
    for (const key of Object.keys(r.metrics)) expect(['trainMs', 'steps', 'imagesPerSec', 'trainLoss']).toContain(key);
    expect(loadDataset).toHaveBeenCalledTimes(1);
    expect(loadDataset).toHaveBeenCalledWith(DatasetRef.parse(ref));

    // The same job again (another worker would do the same): the same score, the data from the cache.
    const again = await step.run(job());
    expect(again.outcome).toEqual(r.outcome);
    expect(again.metrics.steps).toBe(r.metrics.steps);
    expect(loadDataset).toHaveBeenCalledTimes(1);
  }, 300_000);
});

describe('createTrainStep: the data by reference', () => {
  it('the same reference gives the same hold-out, loaded once; another worker draws the identical hold-out', async () => {
    const loadDataset = loader();
    const step = createTrainStep({ loadDataset });
    const parsed = DatasetRef.parse(ref);
    const [a, b] = await Promise.all([step.data(parsed), step.data(DatasetRef.parse({ ...ref, validation: { ...ref.validation } }))]);
    expect(b).toBe(a);
    expect(loadDataset).toHaveBeenCalledTimes(1);
    const expected = holdOutValidation(fashion, 512, { count: 100, seed: 3 });
    expect(a.validation!.count).toBe(100);
    expect(a.train.count).toBe(412);
    expect(Buffer.from(a.validation!.labels).equals(Buffer.from(expected.validation.labels))).toBe(true);
    expect(Buffer.from(a.validation!.images).equals(Buffer.from(expected.validation.images))).toBe(true);
    expect(a.test.count).toBe(0);

    const other = await createTrainStep({ loadDataset: loader() }).data(parsed);
    expect(other).not.toBe(a);
    expect(Buffer.from(other.validation!.images).equals(Buffer.from(a.validation!.images))).toBe(true);
    expect(Buffer.from(other.train.labels).equals(Buffer.from(a.train.labels))).toBe(true);

    // Another seed is another reference: loaded again, another hold-out.
    const reseeded = await step.data(DatasetRef.parse({ ...ref, validation: { count: 100, seed: 4 } }));
    expect(loadDataset).toHaveBeenCalledTimes(2);
    expect(Buffer.from(reseeded.validation!.images).equals(Buffer.from(a.validation!.images))).toBe(false);
  });

  it('hands the trainer the hold-out with trainSubset null and evaluate "validation", the job\'s train config otherwise', async () => {
    const trainer = vi.fn<Trainer>(async () => ({ outcome: { status: 'ok', fitness: 0.4375 }, metrics: { steps: 3, wallMs: 12.5 }, backend: 'cpu' }));
    const step = createTrainStep({ loadDataset: loader(), trainer });
    const r = await step.run(job({ train: { epochs: 2, trainSubset: 50, evaluate: 'test', seed: 9 } }));
    expect(r).toEqual({ candidateId: 'c000003', outcome: { status: 'ok', fitness: 43.75 }, metrics: { trainMs: 12.5, steps: 3 } });
    const [arch, data, config] = trainer.mock.calls[0]!;
    expect(arch.output).toBe('out');
    expect(data).toBe(await step.data(DatasetRef.parse(ref)));
    expect(config).toMatchObject({ epochs: 2, seed: 9, trainSubset: null, evaluate: 'validation', batchSize: 128 });
  });

  it('a trainer\'s failed outcome is passed on as it is', async () => {
    const failure = { class: 'training-nan' as const, message: 'loss became NaN at step 2' };
    const step = createTrainStep({ loadDataset: loader(), trainer: async () => ({ outcome: { status: 'failed', failure }, metrics: { steps: 2, wallMs: 3 }, backend: 'cpu' }) });
    expect(await step.run(job())).toEqual({ candidateId: 'c000003', outcome: { status: 'failed', failure }, metrics: { trainMs: 3, steps: 2 } });
  });

  it('prepares (selects the backend) once, before the first job that trains; not for a job that cannot train', async () => {
    const prepare = vi.fn(async () => undefined);
    const trainer = vi.fn<Trainer>(async () => ({ outcome: { status: 'ok', fitness: 0.5 }, metrics: { steps: 1, wallMs: 1 }, backend: 'cpu' }));
    const step = createTrainStep({ loadDataset: loader(), trainer, prepare });
    await expect(step.run(job({ searchId: '' }))).rejects.toThrow(TrainJobError);
    await step.run(job({ architecture: null }));
    expect(prepare).not.toHaveBeenCalled();
    await Promise.all([step.run(job()), step.run(job({ candidateId: 'c000004' }))]);
    await step.run(job());
    expect(prepare).toHaveBeenCalledTimes(1);
    expect(prepare.mock.invocationCallOrder[0]!).toBeLessThan(trainer.mock.invocationCallOrder[0]!);
  });

  it('a loader that fails is retried on the next job, not cached', async () => {
    let calls = 0;
    const loadDataset = vi.fn(async () => {
      calls += 1;
      if (calls === 1) throw new Error('the dataset volume is not mounted');
      return withSealedTest(fashion);
    });
    const trainer: Trainer = async () => ({ outcome: { status: 'ok', fitness: 0.5 }, metrics: { steps: 1, wallMs: 1 }, backend: 'cpu' });
    const step = createTrainStep({ loadDataset, trainer });
    await expect(step.run(job())).rejects.toThrow('the dataset volume is not mounted');
    expect((await step.run(job())).outcome).toEqual({ status: 'ok', fitness: 50 });
    expect(loadDataset).toHaveBeenCalledTimes(2);
  });
});

describe('createTrainStep: bad jobs and bad networks', () => {
  const never = () => vi.fn<Trainer>(async () => {
    throw new Error('the trainer must not run');
  });

  it.each([
    ['no search id', { searchId: '' }, /the train job is malformed: searchId: /],
    ['an unknown dataset', { dataset: { name: 'mnist' } }, /the train job is malformed: dataset\.name: /],
    ['a validation share of 1', { dataset: { name: 'fashion-mnist', validation: { fraction: 1 } } }, /malformed: dataset\.validation\.fraction: /],
    ['a train config that is not an object', { train: 'fast' }, /malformed: train: /],
    ['no candidate id', { candidateId: undefined }, /malformed: candidateId: /],
  ])('%s → TrainJobError naming the field', async (_name, over, message) => {
    const loadDataset = loader();
    const trainer = never();
    const step = createTrainStep({ loadDataset, trainer });
    await expect(step.run(job(over))).rejects.toThrow(TrainJobError);
    await expect(step.run(job(over))).rejects.toThrow(message);
    expect(loadDataset).not.toHaveBeenCalled();
    expect(trainer).not.toHaveBeenCalled();
  });

  it('a train config the trainer cannot use → TrainJobError naming the option', async () => {
    const step = createTrainStep({ loadDataset: loader(), trainer: never() });
    await expect(step.run(job({ train: { epochs: 0, batchSize: 'big' } }))).rejects.toThrow(/^the train job's train config is invalid: epochs: .*; batchSize: /);
    await expect(step.run(job({ train: { epochs: 0 } }))).rejects.toBeInstanceOf(TrainJobError);
    await expect(step.run(null)).rejects.toBeInstanceOf(TrainJobError);
  });

  it('an invalid architecture is the candidate\'s failure (invalid-artifact), not a throw; nothing is loaded or trained', async () => {
    const loadDataset = loader();
    const trainer = never();
    const step = createTrainStep({ loadDataset, trainer });
    const arch = twoConvNet([28, 28, 1], 10, 4);
    const broken = { ...arch, nodes: arch.nodes.map((n) => (n.id === 'c2' ? { ...n, inputs: ['nowhere'] } : n)) };
    for (const architecture of [broken, { format: 'nasfleet.arch/v1' }, 'function buildModel() {}', null]) {
      const r = await step.run(job({ architecture }));
      expect(r).toMatchObject({ candidateId: 'c000003', outcome: { status: 'failed', failure: { class: 'invalid-artifact' } }, metrics: {} });
      expect(r.outcome.status === 'failed' && r.outcome.failure.message).toMatch(/^the architecture description is not valid: /);
    }
    expect(loadDataset).not.toHaveBeenCalled();
    expect(trainer).not.toHaveBeenCalled();
  });
});

describe('the seam: a training step imports nothing of the engine', () => {
  const root = fileURLToPath(new URL('../../../', import.meta.url));
  const pkg = fileURLToPath(new URL('../', import.meta.url));
  const under = (dir: string) => pathToFileURL(join(root, dir)).href + '/';
  let tmp: string;
  beforeAll(() => {
    tmp = mkdtempSync(join(tmpdir(), 'nasfleet-seam-'));
  });
  afterAll(() => {
    rmSync(tmp, { recursive: true, force: true });
  });

  it('a process that imports @nasfleet/train and makes a train step resolves no module of search, steps, llm or prompts', async () => {
    const log = join(tmp, 'resolved.txt');
    const hooks = fileURLToPath(new URL('./fixtures/record-resolved-urls.mjs', import.meta.url));
    const entry = fileURLToPath(new URL('./fixtures/import-train-step.ts', import.meta.url));
    const { stdout } = await run(process.execPath, ['--import', 'tsx', '--import', hooks, entry], {
      cwd: pkg, env: { ...process.env, NASFLEET_RESOLVE_LOG: log }, timeout: 110_000, maxBuffer: 1 << 20,
    });
    expect(JSON.parse(stdout.trim().split('\n').pop()!)).toEqual({ constructed: true });
    const urls = readFileSync(log, 'utf8').split('\n').filter((u) => u !== '');
    // The recording works: the train package (past the fixture itself) and its contracts were resolved.
    expect(urls).toContain(`${under('packages/train')}src/index.ts`);
    expect(urls).toContain(`${under('packages/train')}src/train-job.ts`);
    expect(urls.some((u) => u.startsWith(under('packages/contracts')))).toBe(true);
    for (const forbidden of ['packages/search', 'packages/steps', 'packages/llm', 'packages/prompts', 'packages/pipeline', 'packages/nb201', 'packages/sandbox']) {
      expect(urls.filter((u) => u.startsWith(under(forbidden))), `${forbidden} must not be loaded by a training worker`).toEqual([]);
    }
    expect(urls.filter((u) => /\/node_modules\/(ollama|openai|mustache)\//.test(u))).toEqual([]);
  }, 120_000);
});
