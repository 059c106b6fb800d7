import { createServer } from 'node:net';
import type { Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CandidateRequest } from '@nasfleet/contracts';
import { NB201_INITIAL_CELL } from '@nasfleet/nb201';
import { startOllamaDouble } from '@nasfleet/ollama-double';
import type { OllamaDouble } from '@nasfleet/ollama-double';
import { promtoolCheckMetrics, sampleValue } from '@nasfleet/metrics/testing';
import { loadPromptSet } from '@nasfleet/prompts';
import { createQueueProducer } from '@nasfleet/queues';
import type { PayloadInputOf, QueueProducer } from '@nasfleet/queues';
import { startRedis } from '@nasfleet/fleet-testing';
import type { TestRedis } from '@nasfleet/fleet-testing';
import { finishedJob, resultsFor, waitFor } from './testing/results.ts';
import { startWorkerProcess } from './testing/worker-process.ts';
import type { WorkerProcess } from './testing/worker-process.ts';

/**
 * An LLM worker's /metrics as a user starts the worker (METRICS_PORT=0: the log line says the port),
 * against a real redis-server and the Ollama double: what its jobs did, read back from the endpoint
 * and checked by promtool; and how METRICS_PORT's values behave (a port in use, the default taken, off).
 */

const MODEL = 'coder:7b';
const CODE = [
  'function buildModel(tf, inputShape, numClasses) {',
  '  const model = tf.sequential();',
  '  model.add(tf.layers.flatten({ inputShape }));',
  "  model.add(tf.layers.dense({ units: numClasses, activation: 'softmax' }));",
  '  return model;',
  '}',
].join('\n');
const WIDE = 120_000;
const prompts = loadPromptSet();
let redis: TestRedis;
let double: OllamaDouble;
let producer: QueueProducer;
const started: WorkerProcess[] = [];

const request = (id: string, parent: string): CandidateRequest => ({
  id, index: 1, generation: 0, strategy: 'llmatic', operator: 'mutate', parents: [{ id: 'c0', artifact: parent, outcome: { status: 'ok', fitness: 70 } }],
  prompt: { id: 'add-conv', intent: 'add-conv' }, temperature: 0.7, memory: null, reference: null, improver: false, seed: 1,
});
const nb201Job = (id: string): PayloadInputOf<'llm'> => ({ searchId: 'm', request: request(id, NB201_INITIAL_CELL), space: { name: 'nb201' }, llm: { provider: 'rule' }, promptSetHash: prompts.hash });
const codeJob = (id: string, model = MODEL): PayloadInputOf<'llm'> => ({
  searchId: 'm', request: request(id, CODE), space: { name: 'code' }, llm: { provider: 'ollama', endpoint: double.url, generatorModel: model }, promptSetHash: prompts.hash,
});
const worker = async (env: Record<string, string | undefined>) => {
  const w = await startWorkerProcess({ ...process.env, REDIS_URL: redis.url, WORKER_ROLE: 'llm', QUEUE_PREFIX: `{m${started.length}}`, ...env });
  started.push(w);
  return w;
};
/** The port of the worker's "metrics on http://host:port/metrics" line. */
const metricsPort = async (w: WorkerProcess) => Number(/metrics on http:\/\/[^ ]+:(\d+)\/metrics$/.exec(await w.waitForLine(/ metrics on http:/))?.[1]);
const scrape = async (port: number) => {
  const response = await fetch(`http://127.0.0.1:${port}/metrics`);
  expect(response.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
  return response.text();
};
const listen = (port: number, host = '0.0.0.0') =>
  new Promise<Server | null>((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(null)).listen(port, host, () => resolve(server));
  });

beforeAll(async () => {
  redis = await startRedis();
  double = await startOllamaDouble({ models: [MODEL], respond: () => `Here it is:\n\n\`\`\`javascript\n${CODE}\n\`\`\`\n` });
  producer = createQueueProducer({ redisUrl: redis.url, config: { prefix: '{m0}' } });
});
afterAll(async () => {
  await Promise.all(started.map((w) => w.stop('SIGKILL')));
  await producer?.close();
  await double?.close();
  await redis?.close();
});

describe('a worker\'s /metrics', () => {
  it('serves on the port the log names: its jobs, candidates, LLM calls and busy time, valid for promtool', async () => {
    const w = await worker({ WORKER_ID: 'llm-m', METRICS_PORT: '0', METRICS_HOST: '127.0.0.1' });
    const port = await metricsPort(w);
    const fresh = await scrape(port);
    expect(sampleValue(fresh, 'nasfleet_worker_concurrency', { role: 'llm' })).toBe(1);
    expect(sampleValue(fresh, 'nasfleet_jobs_total', { queue: 'llm', outcome: 'completed' })).toBe(0);
    expect(await (await fetch(`http://127.0.0.1:${port}/healthz`)).text()).toBe('ok\n');

    await producer.enqueueGenerate(nb201Job('n1'));
    await producer.enqueueGenerate(codeJob('k1'));
    const missing = await producer.enqueueGenerate(codeJob('x1', 'absent:1b'));
    const [code] = await waitFor(async () => {
      const found = await resultsFor(producer, 'k1');
      return found.length > 0 && found;
    }, 'the code job\'s result');
    await finishedJob(producer, 'llm', missing);
    // The job events reach the counters just after the jobs finish.
    const text = await waitFor(async () => {
      const t = await scrape(port);
      return sampleValue(t, 'nasfleet_jobs_total', { queue: 'llm', outcome: 'failed' }) === 1 && sampleValue(t, 'nasfleet_jobs_total', { queue: 'llm', outcome: 'completed' }) === 2 && t;
    }, 'two completed jobs and one failed in the metrics');
    expect(sampleValue(text, 'nasfleet_jobs_total', { queue: 'llm', outcome: 'retried' })).toBe(0);
    expect(sampleValue(text, 'nasfleet_candidates_total', { step: 'generate', outcome: 'ok', failure_class: 'none' })).toBe(2);
    expect(sampleValue(text, 'nasfleet_candidates_total', { step: 'check', outcome: 'ok', failure_class: 'none' })).toBe(2);
    // One LLM call (the rule operator makes none; the missing model's request failed): its tokens as the result records them.
    const call = code?.step === 'generate' ? code.payload.generate.calls[0] : undefined;
    expect(call?.completionTokens).toBeGreaterThan(0);
    expect(sampleValue(text, 'nasfleet_llm_request_duration_seconds_count', { model: MODEL })).toBe(1);
    expect(sampleValue(text, 'nasfleet_llm_request_duration_seconds_count', { model: 'absent:1b' })).toBeUndefined();
    expect(sampleValue(text, 'nasfleet_llm_completion_tokens_total', { model: MODEL })).toBe(call?.completionTokens);
    expect(sampleValue(text, 'nasfleet_llm_tokens_per_second_count', { model: MODEL })).toBe(1);
    expect(sampleValue(text, 'nasfleet_llm_tokens_per_second_sum', { model: MODEL })).toBeGreaterThan(0);
    expect(sampleValue(text, 'nasfleet_llm_generation_seconds_total', { model: MODEL })).toBeGreaterThan(0);
    expect(sampleValue(text, 'nasfleet_worker_busy_seconds_total', { role: 'llm' })).toBeGreaterThan(0);
    const busy = sampleValue(text, 'nasfleet_worker_busy_ratio', { role: 'llm' });
    expect(busy).toBeGreaterThan(0);
    expect(busy).toBeLessThanOrEqual(1);
    expect(await promtoolCheckMetrics(text)).toEqual({ code: 0, output: '' });

    expect(await w.stop('SIGTERM')).toEqual({ code: 0, signal: null });
    await expect(fetch(`http://127.0.0.1:${port}/metrics`)).rejects.toThrow();
  }, WIDE);

  it('METRICS_PORT set to a port in use: the worker does not start, and says why', async () => {
    const blocker = (await listen(0, '127.0.0.1'))!;
    const { port } = blocker.address() as { port: number };
    try {
      await expect(worker({ METRICS_PORT: String(port), METRICS_HOST: '127.0.0.1' })).rejects.toThrow(new RegExp(`error: listen EADDRINUSE: address already in use 127\\.0\\.0\\.1:${port}`));
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  }, WIDE);

  it('METRICS_PORT unset while 9464 is taken: any free port, logged; METRICS_PORT=off: no endpoint', async () => {
    // Other tests on this machine start workers without a metrics port, but a user's worker could hold 9464 for a while: wait for it.
    const held = await waitFor(() => listen(9464), 'port 9464 to be free for this test to hold', 60_000, 250);
    try {
      const w = await worker({ METRICS_PORT: undefined });
      const port = await metricsPort(w);
      expect(port).not.toBe(9464);
      expect(w.lines.some((l) => l.includes(`metrics port 9464 is in use (another worker on this machine?): serving on port ${port} instead`))).toBe(true);
      expect(sampleValue(await scrape(port), 'nasfleet_worker_concurrency', { role: 'llm' })).toBe(1);
    } finally {
      await new Promise((resolve) => held.close(resolve));
    }
    const off = await worker({ METRICS_PORT: 'off' });
    expect(off.lines.some((l) => l.includes('metrics on'))).toBe(false);
    expect(off.lines.some((l) => / ready: role llm/.test(l))).toBe(true);
  }, WIDE);
});
