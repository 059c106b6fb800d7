import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedis } from '@nasfleet/fleet-testing';
import type { TestRedis } from '@nasfleet/fleet-testing';
import { startOllamaDouble } from '@nasfleet/ollama-double';
import type { Fault, OllamaDouble } from '@nasfleet/ollama-double';
import { createRedisStore } from '@nasfleet/store';
import type { SearchStore } from '@nasfleet/store';
import { createRuleResponder } from '../test/support/rule-responder.ts';
import { FleetProcesses } from './support/fleet-processes.ts';
import { eventually, finalSnapshot, searchEnded, submit, toldIds } from './support/fleet-search.ts';
import type { FleetSpec } from './support/fleet-search.ts';
import { localOllamaSnapshot, withoutRunMeasures } from './support/llm-local-run.ts';

/**
 * A replay-mode NB201 search whose candidates an LLM worker process writes through the real Ollama
 * provider, served by the Ollama double (a real HTTP server speaking Ollama's API) answering as the
 * rule operators would, while the double plays bursts of faults: 503 busy, 500s, connections dropped
 * before any byte and mid-stream, an error line mid-stream, a request that never answers. The
 * provider's own retries absorb most; the first burst outlasts them (more faults in a row than the
 * provider's 5 tries), so that BullMQ's next try of the job has to. The search must end exactly as the
 * same search run in one process against the double without faults.
 */

const EVALUATIONS = 30;
const MODEL = 'm';
/** BullMQ's retry of an LLM job comes after backoffMs (30 s by default, for a real server's outage). */
const QUEUE_CONFIG = JSON.stringify({ llm: { backoffMs: 300 } });
/** The worker's limit on one request: short, so the request that never answers costs seconds, yet far above a real answer's time here. */
const LLM_TIMEOUT_MS = '8000';

/** Six failures in a row: the provider's five tries of one request all fail (the job's try fails), and the job's next try meets the sixth. */
const OUTLASTING: Fault[] = [
  { kind: 'busy' },
  { kind: 'status', status: 500, message: 'llama runner process has terminated' },
  { kind: 'drop', afterPieces: 0 },
  { kind: 'drop', afterPieces: 2 },
  { kind: 'stream-error', afterPieces: 1, message: 'an error was encountered while running the model' },
  { kind: 'busy' },
];
/** Mid-search: a request that never answers (the provider's timeout), a connection refused before any byte, a 500. */
const MIDWAY: Fault[] = [{ kind: 'hang' }, { kind: 'drop', afterPieces: 0 }, { kind: 'status', status: 500, message: 'out of memory' }];

let redis: TestRedis;
let store: SearchStore;
let double: OllamaDouble;
let fleet: FleetProcesses;

beforeAll(async () => {
  redis = await startRedis();
  store = createRedisStore({ redis: redis.url });
  double = await startOllamaDouble({ models: [MODEL], respond: createRuleResponder({ inputShape: [28, 28, 1], numClasses: 10 }) });
  fleet = new FleetProcesses({ ...process.env, REDIS_URL: redis.url, QUEUE_CONFIG });
  await fleet.worker('llm-1', { WORKER_ROLE: 'llm', LLM_TIMEOUT_MS });
  await fleet.orchestrator('orch-1', { POLL_MS: '200', SWEEP_MS: '1000', TRIM_JOURNAL: 'false' });
});

afterAll(async () => {
  await fleet?.stopAll();
  await double?.close();
  await store?.close();
  await redis?.close();
});

describe('an Ollama server that fails: 503s, 500s, dropped connections, a request that never answers', () => {
  it('the provider\'s retries and BullMQ\'s absorb them: done, exactly the budget, the fault-free local run\'s snapshot', { timeout: 300_000 }, async () => {
    const spec: FleetSpec = {
      space: { name: 'nb201', options: { dataset: 'cifar10' } }, config: { strategy: 'hybrid', seed: 5 }, evaluations: EVALUATIONS,
      llm: { provider: 'ollama', endpoint: double.url, generatorModel: MODEL, improverModel: null, maxTokens: 2048 }, replay: true,
    };
    const reference = await localOllamaSnapshot(spec.space, spec.config, EVALUATIONS, { host: double.url, generatorModel: MODEL, maxTokens: 2048 });
    const referenceChats = double.requests.length;

    double.fail(...OUTLASTING);
    const record = await submit(store, spec, 'llm-faults');
    await eventually(async () => (await toldIds(store, record.id)).length >= 15, 'half the search');
    double.fail(...MIDWAY);
    const done = await searchEnded(store, record.id);
    expect(done.status, fleet.logs()).toBe('done');
    const told = await toldIds(store, record.id);
    expect(told).toHaveLength(EVALUATIONS);
    expect(new Set(told).size).toBe(EVALUATIONS);

    // Every fault was played (each took one request), and the first burst cost the job a try of its own.
    const fleetChats = double.requests.length - referenceChats;
    expect(fleetChats).toBeGreaterThanOrEqual(referenceChats + OUTLASTING.length + MIDWAY.length);
    const worker = fleet.get('llm-1');
    expect(worker.lines.some((l) => /llm job generate\|llm-faults\|\S+ failed \(try 1\/3, .*\): .*5 attempts/.test(l)), worker.lines.join('\n')).toBe(true);
    expect(worker.child.exitCode).toBeNull();

    const fleetRun = await finalSnapshot(store, record.id);
    expect(fleetRun.pending).toEqual([]);
    // The same search, byte for byte, but for the LLM calls' wall times and try counts (see RUN_MEASURES).
    expect(withoutRunMeasures(fleetRun.engine)).toBe(withoutRunMeasures(reference));
  });
});
