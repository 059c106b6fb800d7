import { describe, expect, it } from 'vitest';
import { Queue, UnrecoverableError } from 'bullmq';
import type { Job } from 'bullmq';
import type { TrainJobResult } from '@nasfleet/contracts';
import { createQueueWorker } from './create-queue-worker.ts';
import type { QueueHandler, QueueWorkerOptions } from './create-queue-worker.ts';
import { jobIdFor } from './job-id.ts';
import type { QueueConfigInput } from './queue-config.ts';
import { createQueueProducer } from './queue-producer.ts';
import type { QueueProducer } from './queue-producer.ts';
import { ChildProgress } from './sandboxed-processor.ts';
import { trainJob } from './testing/fixtures.ts';
import { useQueueTestRedis } from './testing/test-redis.ts';
import { slotsOf, slottedName, workerNameOf, workerSlots } from './worker-slots.ts';
import { waitFor } from '@nasfleet/fleet-testing';

/** createQueueWorker on a real redis-server and real BullMQ: parsing both ways, what is retried and what is not, sandboxed children. */

const config: QueueConfigInput = { train: { attempts: 3, backoffMs: 200, jitter: 0.5 } };
const redis = useQueueTestRedis();
const { open } = redis;
let producer: QueueProducer;
const worker = (handler: QueueHandler<'train'>, options: Partial<QueueWorkerOptions> = {}) => {
  const w = createQueueWorker('train', handler, { redisUrl: redis.url, config, ...options });
  open.push(w);
  return w;
};
/** A train job's return value: the ResultMessage carrying `payload`. */
const asResult = (job: { searchId: string; candidateId: string }, payload: TrainJobResult) => ({
  searchId: job.searchId, candidateId: job.candidateId, step: 'train' as const, worker: { id: 'w', host: 'h', pid: 1 },
  startedAt: '2025-01-01T00:00:00.000Z', finishedAt: '2025-01-01T00:00:01.000Z', payload,
});
const ok = (job: { searchId: string; candidateId: string }) => asResult(job, { candidateId: job.candidateId, outcome: { status: 'ok', fitness: 70 }, metrics: {} });
const finished = async (id: string): Promise<Job> =>
  waitFor(async () => {
    const job = await producer.queue('train').getJob(id);
    return job && (job.finishedOn !== undefined ? job : null);
  }, `job ${id} to finish`);

const newProducer = () => {
  producer = createQueueProducer({ redisUrl: redis.url, config });
  open.push(producer);
};

describe('createQueueWorker: payloads and results are parsed', () => {
  it('a malformed payload fails once, as unrecoverable, naming the field, and the handler never sees it', async () => {
    newProducer();
    // Added behind the producer's back (an old orchestrator, a hand-made job), with retries allowed.
    const raw = new Queue('train', { connection: { url: redis.url }, prefix: '{nasfleet}' });
    await raw.add('train', { searchId: 's1', architecture: {}, dataset: { name: 'fashion-mnist' } }, { jobId: 'bad', attempts: 3, backoff: { type: 'fixed', delay: 10 } });
    await raw.close();
    let calls = 0;
    worker(async (job) => {
      calls += 1;
      return ok(job);
    });
    const job = await finished('bad');
    expect(await job.getState()).toBe('failed');
    expect(job.attemptsMade).toBe(1);
    expect(job.failedReason).toMatch(/^malformed train job bad: candidateId: /);
    expect((job.stacktrace ?? []).join('\n')).toContain('UnrecoverableError');
    expect(calls).toBe(0);
  });

  it('the handler gets the parsed payload (defaults filled in) and its parsed result is the job\'s return value', async () => {
    newProducer();
    const seen: unknown[] = [];
    worker(async (job) => {
      seen.push(job.dataset.validation);
      return ok(job);
    });
    const id = await producer.enqueueTrain(trainJob('s1', 'c1'));
    const job = await finished(id);
    expect(await job.getState()).toBe('completed');
    expect(job.returnvalue).toEqual(ok({ searchId: 's1', candidateId: 'c1' }));
    expect(seen).toEqual([{ fraction: 0.1, seed: 0 }]);
  });

  it('a handler that returns a malformed result fails once, as unrecoverable, naming the field', async () => {
    newProducer();
    worker(async (job) => ({ ...ok(job), payload: { candidateId: 'c1', outcome: { status: 'great' } } }) as never);
    const job = await finished(await producer.enqueueTrain(trainJob('s1', 'c1')));
    expect(job.attemptsMade).toBe(1);
    expect(job.failedReason).toMatch(/^the train handler returned an invalid result for job .*: payload\.outcome\.status: /);
  });

  it('an UnrecoverableError from the handler fails the job at once', async () => {
    newProducer();
    let calls = 0;
    worker(async () => {
      calls += 1;
      throw new UnrecoverableError('the model is not installed');
    });
    const job = await finished(await producer.enqueueTrain(trainJob('s1', 'c1')));
    expect(await job.getState()).toBe('failed');
    expect([job.attemptsMade, calls, job.failedReason]).toEqual([1, 1, 'the model is not installed']);
  });
});

describe('createQueueWorker: transient errors are retried with backoff', () => {
  it('a handler that fails twice (a thrown string, then an Error) is retried after exponential delays and then succeeds', async () => {
    newProducer();
    const calls: { attempt: number; at: number }[] = [];
    worker(async (job, ctx) => {
      calls.push({ attempt: ctx.attempt, at: Date.now() });
      if (ctx.attempt === 1) throw 'server busy';
      if (ctx.attempt === 2) throw new Error('connection reset');
      return ok(job);
    });
    const job = await finished(await producer.enqueueTrain(trainJob('s1', 'c1')));
    expect(await job.getState()).toBe('completed');
    expect(job.attemptsMade).toBe(3);
    expect(calls.map((c) => c.attempt)).toEqual([1, 2, 3]);
    // backoff 200 ms, doubling, jitter 0.5: the retries cannot come before 100 ms and 200 ms (lower bounds only).
    expect(calls[1]!.at - calls[0]!.at).toBeGreaterThanOrEqual(100);
    expect(calls[2]!.at - calls[1]!.at).toBeGreaterThanOrEqual(200);
  });
});

describe('createQueueWorker with a sandbox (a BullMQ child process running a .ts processor)', () => {
  const sandbox = { processorFile: new URL('./testing/sleepy-child.ts', import.meta.url), memoryMb: 256 };
  const holding = (candidateId: string, architecture: Record<string, unknown>) => ({ ...trainJob('s1', candidateId), architecture });

  it('runs the job in a child that sees the parsed payload; a killed child fails only its try, and the retry runs in a fresh child', async () => {
    newProducer();
    const killed: number[] = [];
    const w = worker(async (job, ctx) => {
      const done = ctx.runInChild();
      if (ctx.attempt === 1) ctx.killChild();
      return asResult(job, (await done) as TrainJobResult);
    }, { sandbox });
    w.worker.on('progress', (_job, progress) => {
      const p = ChildProgress.safeParse(progress);
      if (p.success && killed.length === 0) killed.push(p.data.childPid);
    });
    const job = await finished(await producer.enqueueTrain(holding('c1', { holdMs: 3000 })));
    expect(await job.getState()).toBe('completed');
    expect(job.attemptsMade).toBe(2);
    const result = (job.returnvalue as { payload: TrainJobResult }).payload;
    expect(result.metrics.fraction).toBe(0.1);
    // --max-old-space-size=256 reached the child (V8 adds a little for the young generation); the default is GiBs.
    expect(result.metrics.heapLimitMb).toBeGreaterThanOrEqual(256);
    expect(result.metrics.heapLimitMb).toBeLessThan(512);
    expect(killed).toHaveLength(1);
    expect(result.metrics.pid).not.toBe(killed[0]);
    expect(() => process.kill(killed[0]!, 0)).toThrow();
    expect(ChildProgress.parse(job.progress).childPid).toBe(result.metrics.pid);
  }, 120_000);

  it('an UnrecoverableError thrown in the child keeps its name across the process boundary: no retry', async () => {
    newProducer();
    worker(async (job, ctx) => asResult(job, (await ctx.runInChild()) as TrainJobResult), { sandbox });
    const job = await finished(await producer.enqueueTrain(holding('c2', { holdMs: 0, fail: 'unrecoverable' })));
    expect(await job.getState()).toBe('failed');
    expect(job.attemptsMade).toBe(1);
    expect(job.failedReason).toBe('candidate c2 cannot be trained here');
    expect(job.id).toBe(jobIdFor('train', 's1', 'c2'));
  }, 120_000);
});

describe('worker slots', () => {
  it('each connected worker counts its concurrency, read from its client name; a worker that closed counts no more', async () => {
    newProducer();
    const a = worker(async (payload) => ok(payload), { name: 'train-a', concurrency: 3 });
    const b = worker(async (payload) => ok(payload));
    await Promise.all([a.worker.waitUntilReady(), b.worker.waitUntilReady()]);
    await waitFor(async () => ((await workerSlots(producer.queue('train'))).workers === 2 ? true : null), 'two workers to show');
    expect(await workerSlots(producer.queue('train'))).toEqual({ workers: 2, slots: 4 });
    await a.close();
    await waitFor(async () => ((await workerSlots(producer.queue('train'))).workers === 1 ? true : null), 'one worker to show');
    expect(await workerSlots(producer.queue('train'))).toEqual({ workers: 1, slots: 1 });
    expect([slotsOf('{p}:x:w:llm-1#8'), slotsOf('{p}:x:w:llm-1'), slotsOf(undefined), slotsOf('x#0')]).toEqual([8, 1, 1, 1]);
    expect([workerNameOf('train-a#3'), workerNameOf('w#x'), workerNameOf(slottedName('llm-1', 8))]).toEqual(['train-a', 'w#x', 'llm-1']);
  });
});
