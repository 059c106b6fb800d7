import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngineStatus } from '@nasfleet/contracts';
import { Registry, serveMetrics } from '@nasfleet/metrics';
import { NB201_INITIAL_CELL } from '@nasfleet/nb201';
import type { MetricsServer } from '@nasfleet/metrics';
import { promtoolCheckMetrics, sampleValue, startPrometheus } from '@nasfleet/metrics/testing';
import type { TestPrometheus } from '@nasfleet/metrics/testing';
import { loadPromptSet, promptChoices } from '@nasfleet/prompts';
import { createQueueProducer } from '@nasfleet/queues';
import type { PayloadInputOf, QueueProducer } from '@nasfleet/queues';
import { SearchEngine } from '@nasfleet/search';
import { createGenerateStep, runLocalSearch } from '@nasfleet/steps';
import { startRedis, waitFor } from '@nasfleet/fleet-testing';
import type { TestRedis } from '@nasfleet/fleet-testing';
import { createOrchestratorMetrics } from './orchestrator-metrics.ts';
import type { OrchestratorMetrics } from './orchestrator-metrics.ts';
import { orchestratorSpaces } from './orchestrator-spaces.ts';
import { startWorkerProcess } from './testing/node-process.ts';
import type { NodeProcess } from './testing/node-process.ts';

/**
 * The orchestrator's metrics over real queues on a real redis-server, fed by a real NB201 search
 * engine; then a running fleet (an LLM and a training worker as users start them, METRICS_PORT=0)
 * and that orchestrator endpoint scraped by a real Prometheus (Debian's), its values queried back
 * through its HTTP API, and each endpoint's text checked by promtool.
 */

const prompts = loadPromptSet();
const WIDE = 240_000;
let redis: TestRedis;
const producers: QueueProducer[] = [];
const workers: NodeProcess[] = [];
const servers: MetricsServer[] = [];
let prometheus: TestPrometheus | undefined;

const producerFor = (redisUrl: string, prefix = '{nasfleet}') => {
  const p = createQueueProducer({ redisUrl, config: { prefix } });
  producers.push(p);
  return p;
};
const metricsOver = (producer: QueueProducer, onQueueError?: (e: Error) => void): OrchestratorMetrics =>
  createOrchestratorMetrics({ registry: new Registry(), queues: [producer.queue('llm'), producer.queue('train')], ...(onQueueError ? { onQueueError } : {}) });

/** A real NB201 search (hybrid strategy, rule operator, table look-ups) of `evaluations` candidates, each told result observed; its final status. */
async function observedSearch(metrics: OrchestratorMetrics, searchId: string, evaluations: number): Promise<EngineStatus> {
  const space = await orchestratorSpaces().create('nb201', { dataset: 'cifar10' });
  const engine = SearchEngine.create(
    { strategy: 'hybrid', seed: 3, networkArchive: { bounds: space.descriptorBounds } },
    { prompts: promptChoices(prompts.mutations), crossoverPrompt: prompts.crossover, initialArtifact: space.initialArtifact, promptSetHash: prompts.hash },
  );
  await runLocalSearch({ engine, space, generate: createGenerateStep(space, { kind: 'rule' }), evaluations, onResult: (result) => metrics.observeTold(searchId, result) });
  const status = engine.status();
  metrics.observeSearch(searchId, status, 'running');
  return status;
}

const generateJob = (searchId: string, id: string): PayloadInputOf<'llm'> => ({
  searchId, space: { name: 'nb201', options: { dataset: 'cifar10' } }, llm: { provider: 'rule' }, promptSetHash: prompts.hash,
  request: {
    id, index: 1, generation: 0, strategy: 'hybrid', operator: 'mutate', parents: [{ id: 'c0', artifact: NB201_INITIAL_CELL, outcome: { status: 'ok', fitness: 80 } }],
    prompt: { id: 'add-conv', intent: 'add-conv' }, temperature: 0.7, memory: null, reference: null, improver: false, seed: 5,
  },
});
/** conv(4)-pool-flatten-dense(10) on 28x28x1, 256 images, one epoch: seconds of training. */
const trainJob = (searchId: string, candidateId: string): PayloadInputOf<'train'> => ({
  searchId, candidateId, dataset: { name: 'fashion-mnist', trainSubset: 256 }, train: { epochs: 1, batchSize: 64, learningRate: 0.05, seed: 1 },
  architecture: {
    format: 'nasfleet.arch/v1', output: 'out',
    nodes: [
      { id: 'in', inputs: [], op: 'input', config: { shape: [28, 28, 1] } },
      { id: 'c1', inputs: ['in'], op: 'conv2d', config: { filters: 4, kernelSize: [3, 3], strides: [1, 1], padding: 'same', dilationRate: [1, 1], activation: 'relu', useBias: true } },
      { id: 'p1', inputs: ['c1'], op: 'maxPooling2d', config: { poolSize: [2, 2], strides: [2, 2], padding: 'valid' } },
      { id: 'f', inputs: ['p1'], op: 'flatten', config: {} },
      { id: 'out', inputs: ['f'], op: 'dense', config: { units: 10, activation: 'linear', useBias: true } },
    ],
  },
});

beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  // Settled one by one: a step that throws must not leave the processes after it running.
  await Promise.allSettled([prometheus?.close(), ...servers.map((s) => s.close()), ...workers.map((w) => w.stop('SIGKILL'))]);
  await Promise.allSettled(producers.map((p) => p.close()));
  await redis?.close();
});

describe('createOrchestratorMetrics', () => {
  it("a search's engine status and told results, and the queues' depth, in one text that promtool accepts; forget drops the search", async () => {
    // Queues no worker consumes: their depth is exactly what was added.
    const producer = producerFor(redis.url, '{idle}');
    const metrics = metricsOver(producer);
    const status = await observedSearch(metrics, 'nb', 12);
    await producer.enqueueGenerate(generateJob('nb', 'g1'));
    await producer.enqueueGenerate(generateJob('nb', 'g2'));
    await producer.enqueueTrain(trainJob('nb', 't1'));
    const text = await metrics.render();
    expect(await promtoolCheckMetrics(text)).toEqual({ code: 0, output: '' });
    const nb = { search: 'nb' };
    expect(status.told).toBe(12);
    expect(sampleValue(text, 'nasfleet_search_told_candidates', nb)).toBe(status.told);
    expect(sampleValue(text, 'nasfleet_search_asked_candidates', nb)).toBe(status.asked);
    expect(sampleValue(text, 'nasfleet_search_failed_candidates', nb)).toBe(status.failed);
    expect(sampleValue(text, 'nasfleet_search_best_fitness', nb)).toBe(status.best);
    expect(sampleValue(text, 'nasfleet_search_status', { search: 'nb', status: 'running' })).toBe(1);
    expect(status.details.networkArchive?.coverage).toBeGreaterThan(0);
    expect(sampleValue(text, 'nasfleet_search_archive_coverage_ratio', { search: 'nb', archive: 'network' })).toBe(status.details.networkArchive?.coverage);
    expect(sampleValue(text, 'nasfleet_search_archive_qd_score', { search: 'nb', archive: 'network' })).toBe(status.details.networkArchive?.qdScore);
    expect(sampleValue(text, 'nasfleet_search_archive_elites', { search: 'nb', archive: 'prompt' })).toBe(status.details.promptArchive?.size);
    const ok = sampleValue(text, 'nasfleet_search_results_total', { search: 'nb', outcome: 'ok', failure_class: 'none' }) ?? 0;
    const failedClasses = text.split('\n').filter((l) => l.startsWith('nasfleet_search_results_total{') && l.includes('outcome="failed"'));
    expect(ok + failedClasses.reduce((sum, l) => sum + Number(l.split(' ').at(-1)), 0)).toBe(status.told);
    expect(ok).toBe(status.told - status.failed);
    expect(sampleValue(text, 'nasfleet_queue_jobs', { queue: 'llm', state: 'waiting' })).toBe(2);
    expect(sampleValue(text, 'nasfleet_queue_jobs', { queue: 'train', state: 'waiting' })).toBe(1);
    expect(text).not.toContain('queue="results"');
    expect(sampleValue(text, 'nasfleet_queue_failed_jobs_total', { queue: 'train' })).toBe(0);
    expect(text).not.toContain('bullmq_');

    metrics.forget('nb');
    const after = await metrics.render();
    expect(after).not.toContain('search="nb"');
    expect(sampleValue(after, 'nasfleet_queue_jobs', { queue: 'llm', state: 'waiting' })).toBe(2);
  });

  it('with Redis gone a scrape still answers the search metrics, counts and reports the miss, and has the queues again once Redis is back', async () => {
    const lost = await startRedis();
    // Not in `producers`: it is closed here, while its Redis is up (closing BullMQ queues on a dead connection throws).
    const producer = createQueueProducer({ redisUrl: lost.url });
    try {
      const errors: Error[] = [];
      const metrics = metricsOver(producer, (e) => errors.push(e));
      await observedSearch(metrics, 'nb', 3);
      const depth = (text: string) => sampleValue(text, 'nasfleet_queue_jobs', { queue: 'llm', state: 'waiting' });
      expect(depth(await metrics.render())).toBe(0);
      await lost.kill();
      const text = await metrics.render();
      expect(sampleValue(text, 'nasfleet_search_told_candidates', { search: 'nb' })).toBe(3);
      expect(sampleValue(text, 'nasfleet_queue_scrape_errors_total')).toBe(1);
      expect(depth(text)).toBeUndefined();
      expect(errors).toHaveLength(1);
      expect(await promtoolCheckMetrics(text)).toEqual({ code: 0, output: '' });
      await lost.restart();
      await waitFor(async () => depth(await metrics.render()) === 0, 'the queue counts once Redis is back');
    } finally {
      await producer.close();
      await lost.close();
    }
  });
});

describe('a running fleet scraped by a real Prometheus', () => {
  it('every target is up and the values queried back are what the fleet did', async () => {
    const producer = producerFor(redis.url);
    const env = { ...process.env, REDIS_URL: redis.url, METRICS_PORT: '0', METRICS_HOST: '127.0.0.1' };
    const started = await Promise.all([
      startWorkerProcess({ ...env, WORKER_ROLE: 'llm', WORKER_ID: 'llm-p' }),
      startWorkerProcess({ ...env, WORKER_ROLE: 'train', WORKER_ID: 'train-p', TRAIN_MEMORY_MB: '2048' }),
    ]);
    workers.push(...started);
    const [llmPort, trainPort] = await Promise.all(started.map(async (w) => Number(/metrics on http:\/\/127\.0\.0\.1:(\d+)\/metrics$/.exec(await w.waitForLine(/ metrics on http:/))?.[1])));
    const metrics = metricsOver(producer);
    const status = await observedSearch(metrics, 'nb', 12);
    const server = await serveMetrics({ host: '127.0.0.1', port: 0, render: () => metrics.render() });
    servers.push(server);

    await producer.enqueueGenerate(generateJob('fleet', 'g1'));
    await producer.enqueueGenerate(generateJob('fleet', 'g2'));
    await producer.enqueueTrain(trainJob('fleet', 't1'));
    // No orchestrator reads the results here: they stay on the completed jobs.
    await waitFor(async () => (await producer.queue('llm').getJobCounts('completed')).completed === 2 || undefined, 'both generate jobs');
    await waitFor(async () => (await producer.queue('train').getJobCounts('completed')).completed === 1 || undefined, 'the train job');

    prometheus = await startPrometheus({ jobs: { orchestrator: [`127.0.0.1:${server.port}`], 'llm-worker': [`127.0.0.1:${llmPort}`], 'train-worker': [`127.0.0.1:${trainPort}`] } });
    const p = prometheus;
    await waitFor(async () => {
      const targets = await p.targets();
      return targets.length === 3 && targets.every((t) => t.health === 'up');
    }, `every target up (prometheus log:\n${p.log()})`, 60_000, 200);
    const value = async (expr: string) => (await p.query(expr)).map((s) => s.value);
    // A scrape after the last job's events: the train job's completion is the last to land.
    await waitFor(async () => (await value('nasfleet_jobs_total{queue="train", outcome="completed"}'))[0] === 1, 'the train job in Prometheus', 60_000, 200);

    expect(await value('sum(up)')).toEqual([3]);
    expect(await value('nasfleet_jobs_total{job="llm-worker", queue="llm", outcome="completed"}')).toEqual([2]);
    expect(await value('nasfleet_candidates_total{step="check", outcome="ok"}')).toEqual([2]);
    expect(await value('nasfleet_candidates_total{step="train", outcome="ok"}')).toEqual([1]);
    expect(await value('nasfleet_train_duration_seconds_count{outcome="ok"}')).toEqual([1]);
    expect(await value('nasfleet_train_images_per_second_count')).toEqual([1]);
    expect((await value('nasfleet_train_images_per_second_sum'))[0]).toBeGreaterThan(0);
    expect((await value('nasfleet_worker_busy_seconds_total{role="train"}'))[0]).toBeGreaterThan(0);
    expect(await value('nasfleet_worker_concurrency')).toEqual([1, 1]);
    expect(await value('nasfleet_search_told_candidates{job="orchestrator", search="nb"}')).toEqual([status.told]);
    expect(await value('nasfleet_search_archive_coverage_ratio{search="nb", archive="network"}')).toEqual([status.details.networkArchive?.coverage]);
    expect(await value('sum(nasfleet_search_results_total{search="nb"})')).toEqual([status.told]);
    expect(await value('nasfleet_queue_jobs{queue="llm", state="completed"}')).toEqual([2]);
    expect(await value('nasfleet_queue_completed_jobs_total{queue="llm"}')).toEqual([2]);

    for (const port of [server.port, llmPort, trainPort]) {
      const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      expect({ port, ...(await promtoolCheckMetrics(text)) }).toEqual({ port, code: 0, output: '' });
    }
  }, WIDE);
});
