import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedis } from '@nasfleet/fleet-testing';
import type { TestRedis } from '@nasfleet/fleet-testing';
import { createRedisStore } from '@nasfleet/store';
import type { SearchStore } from '@nasfleet/store';
import { RunnerSnapshot } from './runner-state.ts';
import type { SearchSpecInput } from './search-spec.ts';
import { submitSearch } from './submit-search.ts';
import { searchEnded, toldIds, waitFor } from './testing/journal.ts';
import { localSnapshot } from './testing/local-run.ts';
import { startOrchestratorProcess, startWorkerProcess } from './testing/node-process.ts';
import type { NodeProcess } from './testing/node-process.ts';

const spec: SearchSpecInput = {
  space: { name: 'nb201', options: { dataset: 'cifar10' } }, config: { strategy: 'hybrid', seed: 3 }, evaluations: 40, llm: { provider: 'rule' }, depth: 4, replay: true,
};
// Short locks, so that the results message the killed orchestrator held comes back within seconds.
const QUEUE_CONFIG = JSON.stringify({ lockDurationMs: 4_000, stalledIntervalMs: 4_000 });

let redis: TestRedis;
let store: SearchStore;
let llmWorker: NodeProcess;
const orchestrators: NodeProcess[] = [];

const orchestratorEnv = () => ({ ...process.env, REDIS_URL: redis.url, QUEUE_CONFIG, ORCHESTRATOR_ID: 'orch-a', POLL_MS: '200', SNAPSHOT_EVERY: '7', LEASE_TTL_MS: '10000', TRIM_JOURNAL: 'false' });

beforeAll(async () => {
  redis = await startRedis();
  store = createRedisStore({ redis: redis.url });
  llmWorker = await startWorkerProcess({ ...process.env, REDIS_URL: redis.url, WORKER_ROLE: 'llm', WORKER_ID: 'llm-1', QUEUE_CONFIG });
});

afterAll(async () => {
  for (const o of orchestrators) await o.stop('SIGKILL');
  await llmWorker?.stop();
  await store?.close();
  await redis?.close();
});

describe('an orchestrator SIGKILLed mid-search', () => {
  it('is started again, resumes the search and ends with exactly the budget and the local run\'s snapshot', { timeout: 300_000 }, async () => {
    const first = await startOrchestratorProcess(orchestratorEnv());
    orchestrators.push(first);
    const { record } = await submitSearch(store, spec, { id: 'killed', idempotencyKey: 'killed' });
    await waitFor(async () => (await toldIds(store, record.id)).length >= 5, 'the first tells', 240_000, 20);
    await first.stop('SIGKILL');
    const toldAtKill = (await toldIds(store, record.id)).length;
    expect(toldAtKill).toBeLessThan(40);
    expect((await store.getSearch(record.id))?.status).toBe('running');

    const second = await startOrchestratorProcess(orchestratorEnv());
    orchestrators.push(second);
    const done = await searchEnded(store, record.id, 'the resumed search to end');
    expect(done.status).toBe('done');
    const told = await toldIds(store, record.id);
    expect(told).toHaveLength(40);
    expect(new Set(told).size).toBe(40);
    const fleet = RunnerSnapshot.parse((await store.loadSnapshot(record.id))!.snapshot);
    const local = await localSnapshot({ name: 'nb201', options: { dataset: 'cifar10' } }, { strategy: 'hybrid', seed: 3 }, 40);
    expect(JSON.stringify(fleet.engine)).toBe(JSON.stringify(local));
    expect(second.lines.some((l) => / search killed: lease \d+, [1-9]\d* told/.test(l))).toBe(true);
  });
});
