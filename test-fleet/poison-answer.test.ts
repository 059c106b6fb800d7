import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedis } from '@nasfleet/fleet-testing';
import type { TestRedis } from '@nasfleet/fleet-testing';
import { startOllamaDouble } from '@nasfleet/ollama-double';
import type { OllamaDouble } from '@nasfleet/ollama-double';
import { createRedisStore } from '@nasfleet/store';
import type { SearchStore } from '@nasfleet/store';
import { createRuleResponder } from '../test/support/rule-responder.ts';
import type { RuleResponder } from '../test/support/rule-responder.ts';
import { FleetProcesses } from './support/fleet-processes.ts';
import { provenances, searchEnded, submit, toldIds } from './support/fleet-search.ts';
import type { FleetSpec } from './support/fleet-search.ts';

/**
 * A code-space search whose LLM (the Ollama double, answering as the rule operators would) answers
 * two requests with code that never ends: an endless loop in buildModel (QuickJS's interrupt limit
 * stops it) and a built-in over a 2^53-long array-like (no interrupt check is ever reached: the
 * sandbox pool's deadline terminates its thread from outside). Both must be told as failed candidates
 * of class `timeout`, never a crashed or hung LLM worker: the same worker process writes and checks
 * the candidates after them, and the search ends with exactly its budget, each candidate once.
 */

const EVALUATIONS = 5;
const MODEL = 'm';
const QUEUE_CONFIG = JSON.stringify({ llm: { backoffMs: 300 }, train: { backoffMs: 300 } });

let redis: TestRedis;
let store: SearchStore;
let double: OllamaDouble;
let responder: RuleResponder;
let fleet: FleetProcesses;

beforeAll(async () => {
  redis = await startRedis();
  store = createRedisStore({ redis: redis.url });
  responder = createRuleResponder({ inputShape: [28, 28, 1], numClasses: 10 });
  double = await startOllamaDouble({ models: [MODEL], respond: responder });
  fleet = new FleetProcesses({ ...process.env, REDIS_URL: redis.url, QUEUE_CONFIG });
  await fleet.worker('llm-1', { WORKER_ROLE: 'llm' });
  await fleet.worker('train-1', { WORKER_ROLE: 'train', TRAIN_MEMORY_MB: '2048' });
  await fleet.orchestrator('orch-1', { POLL_MS: '200', SWEEP_MS: '1000', TRIM_JOURNAL: 'false' });
});

afterAll(async () => {
  await fleet?.stopAll();
  await double?.close();
  await store?.close();
  await redis?.close();
});

describe('a poison answer: code that never ends', () => {
  it('is told as a failed candidate of class timeout, and the LLM worker lives on and checks the next answers', { timeout: 300_000 }, async () => {
    // LLMatic asks the LLM for every candidate but the seed (no improver): the second and third requests are poisoned.
    responder.next('cooperative', 'endless-loop', 'hostile');
    const spec: FleetSpec = {
      space: { name: 'code', options: { train: { epochs: 1, trainSubset: 256, batchSize: 64, learningRate: 0.05 }, validation: { count: 64 } } },
      config: { strategy: 'llmatic', seed: 2 }, evaluations: EVALUATIONS,
      llm: { provider: 'ollama', endpoint: double.url, generatorModel: MODEL, improverModel: null, maxTokens: 2048 }, depth: 2, replay: false,
    };
    const record = await submit(store, spec, 'poison');
    const done = await searchEnded(store, record.id);
    expect(done.status, fleet.logs()).toBe('done');
    const told = await toldIds(store, record.id);
    expect(told).toHaveLength(EVALUATIONS);
    expect(new Set(told).size).toBe(EVALUATIONS);

    const poison = responder.turns.filter((t) => t.mode !== 'cooperative');
    expect(poison.map((t) => t.mode)).toEqual(['endless-loop', 'hostile']);
    const records = await provenances(store, record.id);
    const poisoned = poison.map((t) => records.find((p) => p.generate?.answer === t.answer));
    for (const [i, p] of poisoned.entries()) {
      expect(p, `the candidate answered with the ${poison[i]!.mode} poison`).toBeDefined();
      expect(p!.result.outcome).toMatchObject({ status: 'failed', failure: { class: 'timeout' } });
      expect(p!.steps.train, 'nothing was trained for it').toBeNull();
    }
    // The built-in never reaches an interrupt check: only the pool's deadline could stop it.
    const stuck = poisoned[1]!.result.outcome;
    expect(stuck.status === 'failed' && stuck.failure.message).toMatch(/stopped from outside/);

    // The same LLM worker process checked an answer after the poison, and it passed.
    const worker = fleet.get('llm-1');
    expect(worker.child.exitCode, worker.lines.join('\n')).toBeNull();
    const poisonedAt = Math.max(...poisoned.map((p) => Date.parse(p!.steps.generate!.finishedAt)));
    const after = records.filter((p) => p.check?.ok === true && p.steps.generate !== null && Date.parse(p.steps.generate.startedAt) >= poisonedAt);
    expect(after.length, 'a candidate written and checked after the poison').toBeGreaterThan(0);
    for (const p of after) expect(p.steps.generate!.worker).toMatchObject({ id: 'llm-1', pid: worker.pid });
  });
});
