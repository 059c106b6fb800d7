import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UnrecoverableError, Worker } from 'bullmq';
import type { GenerateJob } from '@nasfleet/contracts';
import { startRedis, waitFor } from '@nasfleet/fleet-testing';
import type { TestRedis } from '@nasfleet/fleet-testing';
import { loadPromptSet } from '@nasfleet/prompts';
import { createQueueProducer, jobIdFor } from '@nasfleet/queues';
import type { QueueProducer, ResultMessage } from '@nasfleet/queues';
import { builtInSpaces } from '@nasfleet/spaces';
import { createGenerateStep } from '@nasfleet/steps';
import type { SearchSpace } from '@nasfleet/steps';
import { createMemoryStore, JournalRangeError } from '@nasfleet/store';
import type { SearchStore } from '@nasfleet/store';
import { orchestratorSpaces } from './orchestrator-spaces.ts';
import { CandidateProvenance } from './provenance.ts';
import { restoreState, RunnerSnapshot } from './runner-state.ts';
import { createSearchRunner } from './search-runner.ts';
import type { SearchRunner } from './search-runner.ts';
import type { SearchSpecInput } from './search-spec.ts';
import { submitSearch } from './submit-search.ts';

/**
 * The runner's care beyond the happy path: provenance records, pause/resume/cancel, jobs that failed
 * for good, and journal trimming. Results are made here as an LLM worker makes them (the rule
 * operator, the same check) and handed to the runner directly; its jobs go to real BullMQ queues.
 */

let redis: TestRedis;
let producer: QueueProducer;
let space: SearchSpace;
const prompts = loadPromptSet();
const worker = { id: 'llm-7', host: 'box-3', pid: 4242 };

beforeAll(async () => {
  redis = await startRedis();
  producer = createQueueProducer({ redisUrl: redis.url, config: { llm: { attempts: 2, backoffMs: 10 } } });
  space = await builtInSpaces().create('nb201', { dataset: 'cifar10' });
});

afterAll(async () => {
  await producer?.close();
  await redis?.close();
});

const spec = (over: Partial<SearchSpecInput> = {}): SearchSpecInput => ({
  space: { name: 'nb201', options: { dataset: 'cifar10' } }, config: { strategy: 'hybrid', seed: 5 }, evaluations: 12, depth: 3, ...over,
});

async function resultOf(job: GenerateJob): Promise<ResultMessage> {
  const generate = await createGenerateStep(space, { kind: 'rule' })(job.request);
  const check = generate.answer === null ? null : await space.check(generate.answer);
  return { searchId: job.searchId, candidateId: job.request.id, step: 'generate', worker, startedAt: '2026-11-30T10:00:00.000Z', finishedAt: '2026-11-30T10:00:01.500Z', payload: { generate, check } };
}

/** The generate jobs of a search not handled yet (jobs stay waiting: no worker takes them here), in ask order. */
const waiting = async (searchId: string, handled: Set<string>): Promise<GenerateJob[]> =>
  (await producer.queue('llm').getJobs(['wait', 'prioritized', 'delayed', 'failed']))
    .map((j) => j.data as GenerateJob).filter((j) => j.searchId === searchId && !handled.has(j.request.id))
    .sort((a, b) => a.request.index - b.request.index);

/** A search's engine, as a reader rebuilds it from the store (the runner saves a snapshot when it starts). */
const engineOf = async (store: SearchStore, searchId: string) =>
  (await restoreState(store, searchId, () => {
    throw new Error('no snapshot');
  })).engine;
const toldCount = async (store: SearchStore, searchId: string) => (await engineOf(store, searchId)).status().told;

/** Hands the runner the result of every waiting job, oldest first, while it drives the search and fewer than `told` are told. */
async function drive(runner: SearchRunner, store: SearchStore, searchId: string, handled: Set<string>, told = Infinity): Promise<void> {
  while (runner.state === 'running' && (await toldCount(store, searchId)) < told) {
    const [job] = await waiting(searchId, handled);
    if (!job) return;
    handled.add(job.request.id);
    await runner.handle(await resultOf(job));
    await runner.enqueued();
  }
}

const runnerOn = (store: SearchStore, searchId: string, extra: { snapshotEvery?: number; trimJournal?: boolean } = {}) =>
  createSearchRunner({ store, producer, searchId, owner: 'o1', spaces: orchestratorSpaces(), prompts, leaseTtlMs: 10_000, ...extra });

describe('search runner care', () => {
  it('saves every told candidate\'s provenance: request, prompt set, answer, check, result, worker and times', async () => {
    const store = createMemoryStore();
    await submitSearch(store, spec({ evaluations: 4 }), { id: 'prov' });
    const runner = runnerOn(store, 'prov');
    await runner.start();
    await runner.enqueued();
    await drive(runner, store, 'prov', new Set());
    expect(runner.state).toBe('done');
    const restored = await toldCount(store, 'prov');
    expect(restored).toBe(4);
    const [first, second] = (await engineOf(store, 'prov')).candidates().map((c) => c.id);
    for (const id of [first!, second!]) {
      const record = CandidateProvenance.parse(await store.getCandidate('prov', id));
      expect(record.request.id).toBe(id);
      expect(record.promptSetHash).toBe(prompts.hash);
      expect(record.generate?.answer).toEqual(expect.any(String));
      expect(record.check?.ok).toBe(true);
      expect(record.result.id).toBe(id);
      expect(record.steps.generate).toEqual({ worker, startedAt: '2026-11-30T10:00:00.000Z', finishedAt: '2026-11-30T10:00:01.500Z' });
      expect(record.steps.train).toBeNull();
      expect(Date.parse(record.toldAt)).toBeGreaterThanOrEqual(Date.parse(record.askedAt!));
    }
    // Parents are kept by id and outcome; their code is in their own records.
    const child = CandidateProvenance.parse(await store.getCandidate('prov', second!));
    expect(child.request.parents.every((p) => p.artifact === '')).toBe(true);
  });

  it('pauses (asks nothing new, still tells what is in flight), resumes, and cancels (takes waiting jobs off the queue)', async () => {
    const store = createMemoryStore();
    await submitSearch(store, spec(), { id: 'ctl' });
    const runner = runnerOn(store, 'ctl');
    await runner.start();
    await runner.enqueued();
    const handled = new Set<string>();
    const asked = async () => (await engineOf(store, 'ctl')).status().asked;
    expect(await asked()).toBe(3);

    await runner.control(await store.requestStatus('ctl', 'paused'));
    await runner.enqueued();
    expect((await store.getSearch('ctl'))?.status).toBe('paused');
    await drive(runner, store, 'ctl', handled);
    expect(await toldCount(store, 'ctl')).toBe(3);
    expect(await asked()).toBe(3);
    expect(await waiting('ctl', handled)).toEqual([]);

    await runner.control(await store.requestStatus('ctl', 'running'));
    await runner.enqueued();
    expect((await store.getSearch('ctl'))?.status).toBe('running');
    expect(await asked()).toBe(6);
    await drive(runner, store, 'ctl', handled, 4);
    const queued = await waiting('ctl', handled);
    expect(queued.length).toBeGreaterThan(0);

    await runner.control(await store.requestStatus('ctl', 'cancelled'));
    await runner.enqueued();
    expect(runner.state).toBe('cancelled');
    expect((await store.getSearch('ctl'))?.status).toBe('cancelled');
    for (const job of queued) expect(await producer.queue('llm').getJob(jobIdFor('generate', 'ctl', job.request.id))).toBeUndefined();
    // The lease was given up, and a result arriving late changes nothing.
    expect(await store.acquireLease('ctl', 'o2', 10_000)).not.toBeNull();
    const told = await toldCount(store, 'ctl');
    await runner.handle(await resultOf(queued[0]!));
    await runner.enqueued();
    expect(await toldCount(store, 'ctl')).toBe(told);
  });

  it('retries a job that used up its attempts, and tells a candidate whose job failed unrecoverably as job-failed', async () => {
    const store = createMemoryStore();
    await submitSearch(store, spec({ depth: 2 }), { id: 'sweep' });
    const runner = runnerOn(store, 'sweep');
    await runner.start();
    await runner.enqueued();
    const [a, b] = await waiting('sweep', new Set());
    const tries = new Map<string, number>();
    const failing = new Worker('llm', async (job) => {
      const { request, searchId } = job.data as GenerateJob;
      if (searchId !== 'sweep') throw new Error('not this test\'s job');
      tries.set(request.id, (tries.get(request.id) ?? 0) + 1);
      if (request.id === b!.request.id) throw new UnrecoverableError('the job names a space this worker does not have');
      throw new Error('the LLM server is unreachable');
    }, { connection: { url: redis.url, maxRetriesPerRequest: null }, prefix: producer.config.prefix });
    const failed = async (id: string) => (await producer.queue('llm').getJob(jobIdFor('generate', 'sweep', id)))?.isFailed();
    await waitFor(async () => (await failed(a!.request.id)) && (await failed(b!.request.id)), 'both jobs to fail');
    expect(tries.get(a!.request.id)).toBe(2);
    expect(tries.get(b!.request.id)).toBe(1);
    await failing.close();

    await waitFor(async () => {
      await runner.sweep();
      await runner.enqueued();
      return (await failed(a!.request.id)) === false;
    }, 'the exhausted job to be tried again', 60_000, 500);
    const job = await producer.queue('llm').getJob(jobIdFor('generate', 'sweep', a!.request.id));
    expect(job?.attemptsMade).toBe(0);
    const record = CandidateProvenance.parse(await store.getCandidate('sweep', b!.request.id));
    expect(record.result.outcome).toEqual({ status: 'failed', failure: { class: 'job-failed', message: expect.stringMatching(/generate step: the job names a space this worker does not have/) } });
    expect(await toldCount(store, 'sweep')).toBe(1);
    await runner.stop();
  });

  it('trims the journal to one snapshot interval, and a new runner resumes from what is left, as if nothing were trimmed', async () => {
    const runTo = async (store: SearchStore, id: string, trimJournal: boolean, stopAt: number | null) => {
      await submitSearch(store, spec({ evaluations: 10, depth: 1 }), { id });
      const handled = new Set<string>();
      let runner = runnerOn(store, id, { snapshotEvery: 2, trimJournal });
      await runner.start();
      await runner.enqueued();
      if (stopAt !== null) {
        await drive(runner, store, id, handled, stopAt);
        await runner.stop();
        runner = runnerOn(store, id, { snapshotEvery: 2, trimJournal });
        await runner.start();
        await runner.enqueued();
      }
      await drive(runner, store, id, handled);
      expect(runner.state).toBe('done');
      return RunnerSnapshot.parse((await store.loadSnapshot(id))!.snapshot).engine;
    };
    const trimmedStore = createMemoryStore();
    const trimmed = await runTo(trimmedStore, 'trim', true, 5);
    await expect(trimmedStore.readJournal('trim', 0)).rejects.toThrow(JournalRangeError);
    const keptStore = createMemoryStore();
    const kept = await runTo(keptStore, 'keep', false, null);
    expect((await keptStore.readJournal('keep', 0))[0]?.seq).toBe(1);
    expect(JSON.stringify(trimmed)).toBe(JSON.stringify(kept));
  });
});
