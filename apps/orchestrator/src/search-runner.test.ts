import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GenerateJob } from '@nasfleet/contracts';
import { loadPromptSet } from '@nasfleet/prompts';
import { createQueueProducer } from '@nasfleet/queues';
import type { QueueProducer, ResultMessage } from '@nasfleet/queues';
import { startRedis } from '@nasfleet/fleet-testing';
import type { TestRedis } from '@nasfleet/fleet-testing';
import { builtInSpaces } from '@nasfleet/spaces';
import { createGenerateStep } from '@nasfleet/steps';
import type { SearchSpace } from '@nasfleet/steps';
import { createMemoryStore } from '@nasfleet/store';
import type { SearchStore } from '@nasfleet/store';
import { orchestratorSpaces } from './orchestrator-spaces.ts';
import { createSearchRunner } from './search-runner.ts';
import { submitSearch } from './submit-search.ts';

let redis: TestRedis;
let producer: QueueProducer;
let space: SearchSpace;
const prompts = loadPromptSet();

beforeAll(async () => {
  redis = await startRedis();
  producer = createQueueProducer({ redisUrl: redis.url });
  space = await builtInSpaces().create('nb201', { dataset: 'cifar10' });
});

afterAll(async () => {
  await producer?.close();
  await redis?.close();
});

/** What an LLM worker would publish for a GenerateJob (the rule operator, the same check). */
async function resultOf(job: GenerateJob): Promise<ResultMessage> {
  const generate = await createGenerateStep(space, { kind: 'rule' })(job.request);
  const check = generate.answer === null ? null : await space.check(generate.answer);
  const at = new Date().toISOString();
  return { searchId: job.searchId, candidateId: job.request.id, step: 'generate', worker: { id: 'w', host: 'h', pid: 1 }, startedAt: at, finishedAt: at, payload: { generate, check } };
}

const generateJobs = async (searchId: string): Promise<GenerateJob[]> =>
  (await producer.queue('llm').getJobs(['wait'])).map((j) => j.data as GenerateJob).filter((j) => j.searchId === searchId).sort((a, b) => a.request.index - b.request.index);

const runnerOn = (store: SearchStore, searchId: string, owner = 'o1') =>
  createSearchRunner({ store, producer, searchId, owner, spaces: orchestratorSpaces(), prompts, leaseTtlMs: 10_000 });

describe('createSearchRunner', () => {
  it('keeps depth candidates in flight, journals each ask before its jobs, and applies a repeated result once', async () => {
    const store = createMemoryStore();
    await submitSearch(store, { space: { name: 'nb201', options: { dataset: 'cifar10' } }, config: { strategy: 'random' }, evaluations: 5, depth: 3 }, { id: 's1' });
    const runner = runnerOn(store, 's1');
    expect(await runner.start()).toBe(true);
    await runner.enqueued();
    const jobs = await generateJobs('s1');
    expect(jobs.map((j) => j.request.id)).toEqual((await store.readJournal('s1')).flatMap(({ entry }) => (entry.op === 'ask' ? entry.ids : [])));
    expect(jobs).toHaveLength(3);
    const message = await resultOf(jobs[0]!);
    await runner.handle(message);
    await runner.enqueued();
    const after = (await store.readJournal('s1')).length;
    await runner.handle(message);
    await runner.enqueued();
    expect((await store.readJournal('s1')).length).toBe(after);
    const tells = (await store.readJournal('s1')).filter(({ entry }) => entry.op === 'tell');
    expect(tells).toHaveLength(1);
    // The told candidate's place was taken: 3 in flight again, 4 asked.
    expect((await generateJobs('s1')).map((j) => j.request.index)).toEqual([0, 1, 2, 3]);
    await runner.stop();
  });

  it('applies a group of results in one store commit, records before their tells, then tops up once', async () => {
    const store = createMemoryStore();
    await submitSearch(store, { space: { name: 'nb201', options: { dataset: 'cifar10' } }, config: { strategy: 'random' }, evaluations: 8, depth: 3 }, { id: 'sg' });
    const commits: { records: number; ops: string[] }[] = [];
    const counting: SearchStore = {
      ...store,
      commit: (id, writes, fence) => {
        commits.push({ records: writes.records?.length ?? 0, ops: writes.entries.map((e) => e.op) });
        return store.commit(id, writes, fence);
      },
    };
    const runner = runnerOn(counting, 'sg');
    expect(await runner.start()).toBe(true);
    await runner.enqueued();
    const jobs = await generateJobs('sg');
    commits.length = 0;
    await runner.handleMany(await Promise.all(jobs.slice(0, 2).map(resultOf)));
    await runner.enqueued();
    expect(commits).toEqual([{ records: 2, ops: ['generated', 'tell', 'generated', 'tell', 'ask'] }]);
    const ask = (await store.readJournal('sg')).at(-1)!.entry;
    expect(ask).toMatchObject({ op: 'ask', n: 2 });
    for (const job of jobs.slice(0, 2)) expect(await store.getCandidate('sg', job.request.id)).toMatchObject({ result: { id: job.request.id } });
    await runner.stop();
  });

  it('stops driving a search whose lease another orchestrator took, writing nothing more', async () => {
    let clock = 1_000_000;
    const store = createMemoryStore({ now: () => clock });
    await submitSearch(store, { space: { name: 'nb201', options: { dataset: 'cifar10' } }, config: { strategy: 'random' }, evaluations: 5, depth: 2 }, { id: 's2' });
    const runner = runnerOn(store, 's2');
    expect(await runner.start()).toBe(true);
    await runner.enqueued();
    const [job] = await generateJobs('s2');
    clock += 60_000;
    expect(await store.acquireLease('s2', 'o2', 10_000)).not.toBeNull();
    const before = (await store.readJournal('s2')).length;
    await runner.handle(await resultOf(job!));
    await runner.enqueued();
    expect(runner.state).toBe('stopped');
    expect((await store.readJournal('s2')).length).toBe(before);
    await runner.stop();
  });

  it('fails a search whose space cannot be made, as data in its record', async () => {
    const store = createMemoryStore();
    await submitSearch(store, { space: { name: 'nb201', options: { dataset: 'mnist' } }, config: { strategy: 'random' }, evaluations: 5 }, { id: 's3' });
    const runner = runnerOn(store, 's3');
    expect(await runner.start()).toBe(true);
    await runner.enqueued();
    expect(runner.state).toBe('failed');
    const record = await store.getSearch('s3');
    expect(record?.status).toBe('failed');
    expect(record?.error).toMatch(/dataset/);
  });
});
