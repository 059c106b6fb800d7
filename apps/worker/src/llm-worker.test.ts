import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CandidateRequest } from '@nasfleet/contracts';
import { createNb201Space, loadNb201Table, NB201_INITIAL_CELL } from '@nasfleet/nb201';
import { startOllamaDouble } from '@nasfleet/ollama-double';
import type { OllamaDouble } from '@nasfleet/ollama-double';
import { loadPromptSet } from '@nasfleet/prompts';
import { createQueueProducer, jobIdFor } from '@nasfleet/queues';
import type { PayloadInputOf, QueueProducer } from '@nasfleet/queues';
import { startRedis } from '@nasfleet/fleet-testing';
import type { TestRedis } from '@nasfleet/fleet-testing';
import { createGenerateStep } from '@nasfleet/steps';
import { finishedJob, resultsFor, waitFor } from './testing/results.ts';
import { startWorkerProcess } from './testing/worker-process.ts';
import type { WorkerProcess } from './testing/worker-process.ts';

/**
 * An LLM worker as a user starts it (`node --import tsx apps/worker/src/main.ts`, WORKER_ROLE=llm)
 * against a real redis-server and the Ollama double: it answers GenerateJobs with a `{ generate,
 * check }` on `results`, turns hostile code into a failed check and lives on, fails what no retry can
 * fix once, and exits cleanly on SIGTERM.
 */

const MODEL = 'coder:7b';
const HOSTILE_SEED = 666;
/** A small valid network: conv 3x3x8 (80 parameters), pool, flatten (13*13*8), dense 10 (13,530). */
const GOOD_CODE = [
  'function buildModel(tf, inputShape, numClasses) {',
  '  const model = tf.sequential();',
  "  model.add(tf.layers.conv2d({ inputShape, filters: 8, kernelSize: 3, activation: 'relu' }));",
  '  model.add(tf.layers.maxPooling2d({ poolSize: 2 }));',
  '  model.add(tf.layers.flatten());',
  "  model.add(tf.layers.dense({ units: numClasses, activation: 'softmax' }));",
  '  return model;',
  '}',
].join('\n');
const fenced = (code: string) => `Here is the network:\n\n\`\`\`javascript\n${code}\n\`\`\`\n`;

/** Wide: a loaded 2-core machine starts the sandbox and the spaces slowly. */
const WIDE = 120_000;
const prompts = loadPromptSet();
let redis: TestRedis;
let double: OllamaDouble;
let worker: WorkerProcess;
let producer: QueueProducer;

const request = (id: string, over: Partial<CandidateRequest> = {}): CandidateRequest => ({
  id, index: 4, generation: 0, strategy: 'llmatic', operator: 'mutate',
  parents: [{ id: 'c0', artifact: NB201_INITIAL_CELL, outcome: { status: 'ok', fitness: 70 } }],
  prompt: { id: 'add-conv', intent: 'add-conv' }, temperature: 0.7, memory: null, reference: null, improver: false, seed: 11, ...over,
});
const nb201Job = (id: string): PayloadInputOf<'llm'> => ({ searchId: 'nb', request: request(id), space: { name: 'nb201' }, llm: { provider: 'rule' }, promptSetHash: prompts.hash });
const codeJob = (id: string, seed: number, model = MODEL): PayloadInputOf<'llm'> => ({
  searchId: 'code', request: request(id, { seed, parents: [{ id: 'c0', artifact: GOOD_CODE, outcome: null }] }),
  space: { name: 'code' }, llm: { provider: 'ollama', endpoint: double.url, generatorModel: model }, promptSetHash: prompts.hash,
});
const result = (candidateId: string) => waitFor(async () => (await resultsFor(producer, candidateId))[0], `the result of ${candidateId}`);
const failedJob = async (id: string) => {
  const job = await finishedJob(producer, 'llm', id);
  expect(await job.getState()).toBe('failed');
  return job;
};

beforeAll(async () => {
  redis = await startRedis();
  double = await startOllamaDouble({ models: [MODEL], respond: (r) => (r.options.seed === HOSTILE_SEED ? fenced('function buildModel(tf){ while(true){} }') : fenced(GOOD_CODE)) });
  producer = createQueueProducer({ redisUrl: redis.url });
  worker = await startWorkerProcess({ ...process.env, REDIS_URL: redis.url, WORKER_ROLE: 'llm', WORKER_ID: 'llm-1', WORKER_CONCURRENCY: '2', QUEUE_CONFIG: '{"llm":{"backoffMs":200}}' });
});
afterAll(async () => {
  await worker?.stop('SIGKILL');
  await producer?.close();
  await double?.close();
  await redis?.close();
});

describe('llm worker', () => {
  it('answers an NB201 GenerateJob with the rule operator: generate + an ok check with the canonical cell, exactly as the local steps give', async () => {
    await producer.enqueueGenerate(nb201Job('n1'));
    const message = await result('n1');
    const space = createNb201Space(loadNb201Table());
    const generate = await createGenerateStep(space, { kind: 'rule' })(request('n1'));
    const check = await space.check(generate.answer!);
    expect(message).toMatchObject({ searchId: 'nb', candidateId: 'n1', step: 'generate', worker: { id: 'llm-1', pid: worker.pid } });
    expect(message.payload).toEqual({ generate, check });
    expect(check).toMatchObject({ ok: true, artifact: expect.stringMatching(/^\|.+\|$/) });
    if (message.step === 'generate' && message.payload.check?.ok) expect(message.payload.check.canonicalHash).toBe(message.payload.check.artifact);
    expect(Date.parse(message.finishedAt)).toBeGreaterThanOrEqual(Date.parse(message.startedAt));
    await worker.waitForLine(/llm job generate\|nb\|n1 completed \(try 1\/3, \d+ ms\): check ok/);
  }, WIDE);

  it('answers code-space jobs through the Ollama double; a hostile answer is a timeout check failure, and the worker goes on to the next job', async () => {
    await producer.enqueueGenerate(codeJob('k1', 1));
    const ok = await result('k1');
    if (ok.step !== 'generate') throw new Error('expected a generate result');
    expect(ok.payload.generate.calls).toMatchObject([{ role: 'generator', model: MODEL, attempts: 1 }]);
    expect(ok.payload.check).toMatchObject({ ok: true, metrics: { params: 80 + 13_530 } });

    await producer.enqueueGenerate(codeJob('k2', HOSTILE_SEED));
    const hostile = await result('k2');
    if (hostile.step !== 'generate') throw new Error('expected a generate result');
    expect(hostile.payload.generate.answer).toContain('while(true)');
    expect(hostile.payload.check).toMatchObject({ ok: false, failure: { class: 'timeout' } });
    const job = await finishedJob(producer, 'llm', jobIdFor('generate', 'code', 'k2'));
    expect([await job.getState(), job.attemptsMade]).toEqual(['completed', 1]);

    await producer.enqueueGenerate(codeJob('k3', 3));
    const after = await result('k3');
    expect(after.payload).toMatchObject({ check: { ok: true } });
    expect(after.worker.pid).toBe(worker.pid);
    expect(worker.child.exitCode).toBeNull();
    expect(double.requests.filter((r) => r.model === MODEL).map((r) => r.options.seed)).toEqual([1, HOSTILE_SEED, 3]);
  }, WIDE);

  it('a missing model fails the job once, unrecoverably, naming the model: one chat request, no retries, no result', async () => {
    const id = await producer.enqueueGenerate(codeJob('m1', 5, 'absent:1b'));
    const job = await failedJob(id);
    expect(job.attemptsMade).toBe(1);
    expect(job.failedReason).toMatch(/model "absent:1b" is not installed on the Ollama server at .*choose one of: coder:7b/);
    expect(double.requests.filter((r) => r.model === 'absent:1b')).toHaveLength(1);
    expect(await resultsFor(producer, 'm1')).toEqual([]);
  }, WIDE);

  it('refuses a job rendered with another prompt set, once, saying so', async () => {
    const id = await producer.enqueueGenerate({ ...nb201Job('p1'), promptSetHash: 'f00d' });
    const job = await failedJob(id);
    expect(job.attemptsMade).toBe(1);
    expect(job.failedReason).toContain(`the job was rendered with prompt set f00d, this worker has ${prompts.hash}`);
    expect(await resultsFor(producer, 'p1')).toEqual([]);
  }, WIDE);

  it('SIGTERM closes it cleanly: exit code 0', async () => {
    const exit = await worker.stop('SIGTERM');
    expect(exit).toEqual({ code: 0, signal: null });
    expect(worker.lines.some((l) => / closed$/.test(l))).toBe(true);
  }, WIDE);
});
