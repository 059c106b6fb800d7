import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createQueueProducer, parseQueueConfig } from '@nasfleet/queues';
import type { QueueProducer } from '@nasfleet/queues';
import { loadPromptSet } from '@nasfleet/prompts';
import { startRedis } from '@nasfleet/fleet-testing';
import type { TestRedis } from '@nasfleet/fleet-testing';
import { SearchEngine } from '@nasfleet/search';
import { createRedisStore } from '@nasfleet/store';
import type { SearchStore } from '@nasfleet/store';
import { startOrchestrator } from './orchestrator.ts';
import type { Orchestrator } from './orchestrator.ts';
import { orchestratorSpaces } from './orchestrator-spaces.ts';
import { RunnerSnapshot } from './runner-state.ts';
import { submitSearch } from './submit-search.ts';
import { searchEnded, toldIds } from './testing/journal.ts';
import { startWorkerProcess } from './testing/node-process.ts';
import type { NodeProcess } from './testing/node-process.ts';

let redis: TestRedis;
let store: SearchStore;
let producer: QueueProducer;
const workers: NodeProcess[] = [];
let orchestrator: Orchestrator;

beforeAll(async () => {
  redis = await startRedis();
  store = createRedisStore({ redis: redis.url });
  const queueConfig = parseQueueConfig({});
  producer = createQueueProducer({ redisUrl: redis.url, config: queueConfig });
  workers.push(await startWorkerProcess({ ...process.env, REDIS_URL: redis.url, WORKER_ROLE: 'llm', WORKER_ID: 'llm-1' }));
  workers.push(await startWorkerProcess({ ...process.env, REDIS_URL: redis.url, WORKER_ROLE: 'train', WORKER_ID: 'train-1', TRAIN_MEMORY_MB: '2048' }));
  orchestrator = await startOrchestrator({
    store, producer, redisUrl: redis.url, queueConfig, owner: 'orch-code', spaces: orchestratorSpaces(), prompts: loadPromptSet(), leaseTtlMs: 30_000, pollMs: 200, trimJournal: false,
  });
});

afterAll(async () => {
  await orchestrator?.close();
  for (const w of workers) await w.stop();
  await producer?.close();
  await store?.close();
  await redis?.close();
});

describe('a code-space search on Fashion-MNIST through an LLM worker and a training worker', () => {
  it('trains its candidates on the training worker and ends with a best candidate scored on the validation hold-out', { timeout: 300_000 }, async () => {
    const { record } = await submitSearch(store, {
      space: { name: 'code', options: { train: { trainSubset: 256, batchSize: 64, learningRate: 0.05 }, validation: { count: 64 } } },
      config: { strategy: 'hybrid', seed: 1 }, evaluations: 4, depth: 2,
    }, { id: 'code-tiny' });
    const done = await searchEnded(store, record.id, 'the code search to end');
    expect(done.status).toBe('done');
    const told = await toldIds(store, record.id);
    expect(told).toHaveLength(4);
    expect(new Set(told).size).toBe(4);
    const engine = SearchEngine.restore(RunnerSnapshot.parse((await store.loadSnapshot(record.id))!.snapshot).engine);
    const best = engine.best();
    expect(best?.result?.outcome.status).toBe('ok');
    const fitness = best?.result?.outcome.status === 'ok' ? best.result.outcome.fitness : -1;
    expect(fitness).toBeGreaterThanOrEqual(0);
    expect(fitness).toBeLessThanOrEqual(100);
    // Every candidate scored (not copied from a duplicate) was trained by the training worker: the orchestrator never reads images.
    const trained = new Set((await producer.queue('train').getJobs(['completed'])).map((j) => (j.data as { candidateId: string }).candidateId));
    const evaluated = engine.candidates().filter((c) => c.result?.outcome.status === 'ok' && c.result.metrics?.duplicateOfIndex === undefined);
    expect(evaluated.length).toBeGreaterThan(0);
    for (const c of evaluated) expect(trained.has(c.id)).toBe(true);
  });
});
