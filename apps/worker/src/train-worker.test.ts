import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job } from 'bullmq';
import { ChildProgress, createQueueProducer } from '@nasfleet/queues';
import type { PayloadInputOf, QueueProducer, ResultMessage } from '@nasfleet/queues';
import { startRedis } from '@nasfleet/fleet-testing';
import type { TestRedis } from '@nasfleet/fleet-testing';
import { finishedJob, resultsFor, waitFor } from './testing/results.ts';
import { startWorkerProcess } from './testing/worker-process.ts';
import type { WorkerProcess } from './testing/worker-process.ts';

/**
 * A training worker as a user starts it (`node --import tsx apps/worker/src/main.ts`,
 * WORKER_ROLE=train) on a real redis-server: real TF.js training of real Fashion-MNIST in BullMQ's
 * sandboxed child processes. A killed child costs a retry, never a second result; a try past the
 * time limit is a 'training-timeout' result; SIGTERM lets the job in progress finish.
 */

/** conv-pool-conv-pool-dense-dense on 28x28x1 (the train package's twoConvNet), `width` filters first. */
const twoConvNet = (width: number) => {
  const conv = (id: string, input: string, filters: number) => ({
    id, inputs: [input], op: 'conv2d', config: { filters, kernelSize: [3, 3], strides: [1, 1], padding: 'same', dilationRate: [1, 1], activation: 'relu', useBias: true },
  });
  const pool = (id: string, input: string) => ({ id, inputs: [input], op: 'maxPooling2d', config: { poolSize: [2, 2], strides: [2, 2], padding: 'valid' } });
  return {
    format: 'nasfleet.arch/v1',
    nodes: [
      { id: 'in', inputs: [], op: 'input', config: { shape: [28, 28, 1] } },
      conv('c1', 'in', width), pool('p1', 'c1'), conv('c2', 'p1', width * 2), pool('p2', 'c2'),
      { id: 'f', inputs: ['p2'], op: 'flatten', config: {} },
      { id: 'd1', inputs: ['f'], op: 'dense', config: { units: 64, activation: 'relu', useBias: true } },
      { id: 'out', inputs: ['d1'], op: 'dense', config: { units: 10, activation: 'linear', useBias: true } },
    ],
    output: 'out',
  };
};
const trainJob = (candidateId: string, size: { trainSubset: number; width: number; epochs?: number }): PayloadInputOf<'train'> => ({
  searchId: 'tr', candidateId, architecture: twoConvNet(size.width), dataset: { name: 'fashion-mnist', trainSubset: size.trainSubset },
  train: { epochs: size.epochs ?? 1, batchSize: 64, learningRate: 0.05, seed: 1 },
});
/** A job that trains for seconds once its child is warm (4096 images, width 16: ~4 s of CPU here). */
const LONG = { trainSubset: 4096, width: 16 };

/** Each test starts processes and trains: minutes on a loaded 2-core machine. */
const WIDE = 240_000;
let redis: TestRedis;
const started: WorkerProcess[] = [];
const producers: QueueProducer[] = [];
const worker = async (env: Record<string, string>) => {
  const w = await startWorkerProcess({ ...process.env, REDIS_URL: redis.url, WORKER_ROLE: 'train', QUEUE_CONFIG: '{"train":{"backoffMs":300}}', ...env });
  started.push(w);
  return w;
};
const producerFor = (prefix = '{nasfleet}') => {
  const p = createQueueProducer({ redisUrl: redis.url, config: { prefix } });
  producers.push(p);
  return p;
};
const only = async (producer: QueueProducer, candidateId: string): Promise<ResultMessage & { step: 'train' }> => {
  const [message] = await waitFor(async () => {
    const found = await resultsFor(producer, candidateId);
    return found.length > 0 && found;
  }, `the result of ${candidateId}`);
  if (message?.step !== 'train') throw new Error('expected a train result');
  return message;
};
/** The pid of the child running the job's current try, once it has reported it. */
const childPid = (producer: QueueProducer, id: string) =>
  waitFor(async () => {
    const job: Job | undefined = await producer.queue('train').getJob(id);
    const progress = ChildProgress.safeParse(job?.progress);
    return progress.success && progress.data.childPid;
  }, `the child running ${id}`);

beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await Promise.all(started.map((w) => w.stop('SIGKILL')));
  await Promise.all(producers.map((p) => p.close()));
  await redis?.close();
});

describe('train worker', () => {
  let a: WorkerProcess;
  let producer: QueueProducer;

  it('trains a tiny architecture on real Fashion-MNIST (256 images) in a child process and publishes an ok result', async () => {
    a = await worker({ WORKER_ID: 'train-a' });
    producer = producerFor();
    const id = await producer.enqueueTrain(trainJob('t1', { trainSubset: 256, width: 4 }));
    const message = await only(producer, 't1');
    expect(message).toMatchObject({ searchId: 'tr', candidateId: 't1', worker: { id: 'train-a', pid: a.pid }, payload: { candidateId: 't1', outcome: { status: 'ok' } } });
    const fitness = message.payload.outcome.status === 'ok' ? message.payload.outcome.fitness : NaN;
    expect(fitness).toBeGreaterThanOrEqual(0);
    expect(fitness).toBeLessThanOrEqual(100);
    expect(message.payload.metrics.steps).toBeGreaterThan(0);
    expect(message.payload.metrics.trainMs).toBeGreaterThan(0);
    // It trained in a child of the worker, not in the worker.
    const progress = ChildProgress.parse((await producer.queue('train').getJob(id))?.progress);
    expect(progress.childPid).not.toBe(a.pid);
    await a.waitForLine(/train job train\|tr\|t1 completed \(try 1\/2, \d+ ms\): fitness /);
  }, WIDE);

  it('a SIGKILL of the child mid-job costs one try: the job is retried in a fresh child and exactly one result is published', async () => {
    const id = await producer.enqueueTrain(trainJob('t2', LONG));
    const killed = await childPid(producer, id);
    process.kill(killed, 'SIGKILL');
    const message = await only(producer, 't2');
    expect(message.payload.outcome.status).toBe('ok');
    const job = await finishedJob(producer, 'train', id);
    expect(await job.getState()).toBe('completed');
    expect(job.attemptsMade).toBe(2);
    expect(ChildProgress.parse(job.progress).childPid).not.toBe(killed);
    await a.waitForLine(/train job train\|tr\|t2 failed \(try 1\/2, .*\): Unexpected exit code: null signal: SIGKILL/);
    // Settled: still one result for the candidate, and the worker itself lives.
    expect(await resultsFor(producer, 't2')).toHaveLength(1);
    expect(a.child.exitCode).toBeNull();
  }, WIDE);

  it('a try past TRAIN_JOB_TIMEOUT_MS is killed with its child and published as a training-timeout failure; the next job trains', async () => {
    // The limit leaves a fresh child time to start and train 256 images on a busy machine; the whole training set for 5 epochs takes minutes.
    const b = await worker({ WORKER_ID: 'train-b', QUEUE_PREFIX: '{nasfleet-b}', TRAIN_JOB_TIMEOUT_MS: '20000' });
    const producerB = producerFor('{nasfleet-b}');
    const id = await producerB.enqueueTrain(trainJob('t3', { trainSubset: 60_000, width: 32, epochs: 5 }));
    const message = await only(producerB, 't3');
    expect(message.payload.outcome).toEqual({ status: 'failed', failure: { class: 'training-timeout', message: "training ran past the worker's limit of 20000 ms and was stopped" } });
    const job = await finishedJob(producerB, 'train', id);
    expect([await job.getState(), job.attemptsMade]).toEqual(['completed', 1]);
    const killed = ChildProgress.parse(job.progress).childPid;
    await waitFor(async () => {
      try {
        process.kill(killed, 0);
        return false;
      } catch {
        return true;
      }
    }, 'the timed-out child to be gone');
    expect(b.child.exitCode).toBeNull();
    // Only 256 images: done within the limit, in a fresh child.
    const next = await producerB.enqueueTrain(trainJob('t4', { trainSubset: 256, width: 4 }));
    expect((await only(producerB, 't4')).payload.outcome.status).toBe('ok');
    expect(ChildProgress.parse((await producerB.queue('train').getJob(next))?.progress).childPid).not.toBe(killed);
  }, WIDE);

  it('SIGTERM mid-job: the job in progress finishes and is published, then the worker exits with code 0', async () => {
    const id = await producer.enqueueTrain(trainJob('t5', LONG));
    await childPid(producer, id);
    const exit = await a.stop('SIGTERM');
    expect(exit).toEqual({ code: 0, signal: null });
    const job = await finishedJob(producer, 'train', id);
    expect([await job.getState(), job.attemptsMade]).toEqual(['completed', 1]);
    expect((await resultsFor(producer, 't5')).map((m) => m.payload)).toMatchObject([{ outcome: { status: 'ok' } }]);
  }, WIDE);
});

