import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPromptSet } from '@nasfleet/prompts';
import { createQueueProducer, parseQueueConfig } from '@nasfleet/queues';
import type { GenerateJob } from '@nasfleet/contracts';
import type { QueueProducer } from '@nasfleet/queues';
import { startRedis } from '@nasfleet/fleet-testing';
import type { TestRedis } from '@nasfleet/fleet-testing';
import { createRedisStore } from '@nasfleet/store';
import type { SearchStore } from '@nasfleet/store';
import { startOrchestrator } from './orchestrator.ts';
import type { Orchestrator } from './orchestrator.ts';
import { orchestratorSpaces } from './orchestrator-spaces.ts';
import { RunnerSnapshot } from './runner-state.ts';
import type { SearchSpecInput } from './search-spec.ts';
import { submitSearch } from './submit-search.ts';
import { searchEnded, toldIds, waitFor } from './testing/journal.ts';
import { localSnapshot } from './testing/local-run.ts';
import { startWorkerProcess } from './testing/node-process.ts';
import type { NodeProcess } from './testing/node-process.ts';

const spec: SearchSpecInput = {
  space: { name: 'nb201', options: { dataset: 'cifar10' } }, config: { strategy: 'hybrid', seed: 3 }, evaluations: 40, llm: { provider: 'rule' }, depth: 4, replay: true,
};

let redis: TestRedis;
let store: SearchStore;
let producer: QueueProducer;
let llmWorker: NodeProcess;
let orchestrator: Orchestrator;

beforeAll(async () => {
  redis = await startRedis();
  store = createRedisStore({ redis: redis.url });
  const queueConfig = parseQueueConfig({});
  producer = createQueueProducer({ redisUrl: redis.url, config: queueConfig });
  llmWorker = await startWorkerProcess({ ...process.env, REDIS_URL: redis.url, WORKER_ROLE: 'llm', WORKER_ID: 'llm-1' });
  orchestrator = await startOrchestrator({
    store, producer, redisUrl: redis.url, queueConfig, owner: 'orch-test', spaces: orchestratorSpaces(), prompts: loadPromptSet(), leaseTtlMs: 30_000, pollMs: 200, snapshotEvery: 7, trimJournal: false,
  });
});

afterAll(async () => {
  await orchestrator?.close();
  await llmWorker?.stop();
  await producer?.close();
  await store?.close();
  await redis?.close();
});

describe('a replay-mode NB201 search through the queues', () => {
  it('tells exactly the budget, each candidate once, and ends with the local batch-1 run\'s snapshot, byte for byte', { timeout: 300_000 }, async () => {
    const { record } = await submitSearch(store, spec, { idempotencyKey: 'nb201-replay', id: 'nb201-replay' });
    const done = await searchEnded(store, record.id, 'the search to end');
    expect(done.status).toBe('done');
    const told = await toldIds(store, record.id);
    expect(told).toHaveLength(40);
    expect(new Set(told).size).toBe(40);
    const saved = await store.loadSnapshot(record.id);
    const fleet = RunnerSnapshot.parse(saved!.snapshot);
    expect(fleet.pending).toEqual([]);
    const local = await localSnapshot({ name: 'nb201', options: { dataset: 'cifar10' } }, { strategy: 'hybrid', seed: 3 }, 40);
    expect(JSON.stringify(fleet.engine)).toBe(JSON.stringify(local));
    // A second submission with the key changes nothing (and the finished search is not driven again).
    const again = await submitSearch(store, spec, { idempotencyKey: 'nb201-replay' });
    expect(again.created).toBe(false);

    // A result delivered again for the finished search (its job run once more), and one for a search nobody knows, change nothing.
    const journalLength = (await store.readJournal(record.id)).length;
    const llm = producer.queue('llm');
    const [completed] = await llm.getJobs(['completed']);
    await completed!.remove();
    const repeated = await producer.enqueueGenerate(completed!.data as GenerateJob);
    const unknown = await producer.enqueueGenerate({ ...(completed!.data as GenerateJob), searchId: 'nobody' });
    for (const id of [repeated, unknown]) await waitFor(async () => (await llm.getJob(id))?.finishedOn !== undefined, `job ${id} to complete`);
    // The orchestrator reads the completions as they land; give it a moment to (not) act on them.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(await llm.getJobCountByTypes('failed')).toBe(0);
    expect((await store.readJournal(record.id)).length).toBe(journalLength);
    expect((await store.getSearch(record.id))?.status).toBe('done');
  });
});
