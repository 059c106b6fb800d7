import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitFor } from '@nasfleet/fleet-testing';
import { createProvider } from '@nasfleet/llm';
import { startOllamaDouble } from '@nasfleet/ollama-double';
import type { OllamaDouble } from '@nasfleet/ollama-double';
import { loadPromptSet, promptChoices } from '@nasfleet/prompts';
import { SearchEngine } from '@nasfleet/search';
import { builtInSpaces } from '@nasfleet/spaces';
import { createGenerateStep, runLocalSearch } from '@nasfleet/steps';
import { createRedisStore } from '@nasfleet/store';
import { createRuleResponder } from '../../../test/support/rule-responder.ts';
import { readFleetEnv } from './config.ts';
import { parseFleetArgs } from './fleet-args.ts';
import { apiClient } from './follow.ts';
import { startFleet } from './start-fleet.ts';
import type { LocalFleet } from './start-fleet.ts';

/**
 * The fleet end to end, as `npm run fleet` starts it: a real redis-server, the orchestrator process
 * with its HTTP API, one LLM worker and two training worker processes. What is faked: the LLM — the
 * Ollama double (a real HTTP server speaking Ollama's API) answering with the rule-based operators'
 * edits of the parent it reads in each prompt. Searches go in and come out over HTTP only.
 */

const MODEL = 'qwen2.5-coder:7b';
const NB201 = { name: 'nb201', options: { dataset: 'cifar10' } };
let double: OllamaDouble;
let fleet: LocalFleet;
let api: ReturnType<typeof apiClient>;
let logDir: string;
/** The last lines of each training worker's log. */
const workerLogs = () =>
  readdirSync(logDir).filter((f) => f.startsWith('train')).map((f) => `--- ${f}\n${readFileSync(join(logDir, f), 'utf8').split('\n').slice(-30).join('\n')}`).join('\n');

const get = async (path: string, token = fleet.token) => {
  const response = await fetch(new URL(path, fleet.apiUrl), { headers: { authorization: `Bearer ${token}` } });
  return { status: response.status, text: await response.text() };
};
const getJson = async <T = Record<string, unknown>>(path: string): Promise<T> => {
  const { status, text } = await get(path);
  expect(status, text).toBe(200);
  return JSON.parse(text) as T;
};

beforeAll(async () => {
  double = await startOllamaDouble({ models: [MODEL], respond: createRuleResponder({ inputShape: [28, 28, 1], numClasses: 10 }) });
  logDir = mkdtempSync(join(tmpdir(), 'nasfleet-e2e-'));
  const env = readFleetEnv({ ...process.env, REDIS_URL: undefined });
  fleet = await startFleet(parseFleetArgs(['--llm-workers', '1', '--train-workers', '2'])!, logDir, { ...env, childEnv: { ...env.childEnv, TRAIN_MEMORY_MB: '2048', SWEEP_MS: '1000' } }, () => undefined);
  api = apiClient(fleet.apiUrl, fleet.token);
}, 300_000);

afterAll(async () => {
  await fleet?.stop();
  await double?.close();
  if (logDir) rmSync(logDir, { recursive: true, force: true });
});

const llm = () => ({ provider: 'ollama', endpoint: double.url, generatorModel: MODEL, improverModel: MODEL });
const ended = (id: string) => waitFor(async () => {
  const d = await api.detail(id);
  return ['done', 'failed', 'cancelled'].includes(d.search.status) && d;
}, `search ${id} to end`, 280_000, 500);

describe('a fleet on one machine, driven over HTTP', () => {
  it('runs an NB201 search in replay mode through the Ollama double to the local run\'s snapshot, byte for byte, with provenance, archives and metrics', { timeout: 300_000 }, async () => {
    // Seeded from the initial network, so the LLM writes every candidate but the first (the hybrid's default seeds with the space's samples).
    const config = { strategy: 'hybrid', seed: 11, llmatic: { seeding: 'initial' } } as const;
    const id = await api.submit({ space: NB201, config, evaluations: 24, llm: llm(), replay: true });
    const d = await ended(id);
    expect(d.search.status).toBe('done');
    expect(d.progress).toMatchObject({ told: 24, inFlight: 0, evaluations: 24 });
    expect(d.archives.network!.coverage).toBeGreaterThan(0);

    // The same search in one process, through the same double: the fleet's final engine state is the same bytes.
    const space = await builtInSpaces().create(NB201.name, NB201.options);
    const prompts = loadPromptSet();
    const engine = SearchEngine.create(
      { ...config, networkArchive: { bounds: space.descriptorBounds } },
      { prompts: promptChoices(prompts.mutations), crossoverPrompt: prompts.crossover, initialArtifact: space.initialArtifact, promptSetHash: prompts.hash },
    );
    const provider = createProvider({ kind: 'ollama', host: double.url });
    await runLocalSearch({ engine, space, generate: createGenerateStep(space, { kind: 'llm', provider, prompts, generatorModel: MODEL, improverModel: MODEL }), evaluations: 24, batch: 1 });
    const store = createRedisStore({ redis: fleet.redisUrl });
    const saved = (await store.loadSnapshot(id))!.snapshot as { engine: unknown; pending: unknown[] };
    await store.close();
    expect(saved.pending).toEqual([]);
    // Byte for byte but for the wall-clock durations each result's metrics record (llmMs: how long the call took).
    const durations = (snapshot: unknown) => JSON.stringify(snapshot).replace(/"llmMs":[0-9.e+-]+/g, '"llmMs":0');
    expect(JSON.stringify(saved.engine)).toMatch(/"llmMs":[1-9]/);
    expect(durations(saved.engine)).toBe(durations(engine.snapshot()));

    // Provenance and lineage of the best candidate, over HTTP.
    const best = await getJson(`/v1/searches/${id}/candidates/${d.best!.id}`);
    expect(JSON.stringify(best)).toContain(MODEL);
    expect(JSON.stringify(best)).toContain('"id":"llm-1"');
    const archive = await getJson<{ cells: { id: string }[] }>(`/v1/searches/${id}/archives/network`);
    expect(archive.cells.length).toBe(d.archives.network!.size);
    expect(archive.cells.some((c) => c.id === d.best!.id)).toBe(true);

    // Metrics of the orchestrator, behind the token; the search's gauges are there.
    expect((await get('/metrics', 'wrong-token-wrong-token')).status).toBe(401);
    const { status, text } = await get('/metrics');
    expect(status).toBe(200);
    expect(text).toMatch(new RegExp(`nasfleet_search_told_candidates\\{[^}]*search="${id}"[^}]*\\} 24`));
    expect(text).toMatch(/nasfleet_queue_jobs\{[^}]*queue="llm"/);
  });

  it('runs a code-space search on Fashion-MNIST with its candidates trained by the training workers', { timeout: 300_000 }, async () => {
    const id = await api.submit({
      space: { name: 'code', options: { train: { trainSubset: 256, batchSize: 64, learningRate: 0.05 }, validation: { count: 64 } } },
      config: { strategy: 'llmatic', seed: 2 }, evaluations: 4, depth: 2, llm: llm(),
    });
    const d = await ended(id);
    expect(d.search.status).toBe('done');
    expect(d.progress.told).toBe(4);
    expect(d.best).not.toBeNull();
    const best = await getJson(`/v1/searches/${id}/candidates/${d.best!.id}`);
    const text = JSON.stringify(best);
    expect(text).toMatch(/"id":"train-[12]"/);
    expect(text).toContain('buildModel');
    const exported = await getJson<{ code: string; model: { state: string } }>(`/v1/searches/${id}/export`);
    expect(exported.code).toContain('buildModel');
    expect(exported.model.state).toBe('not-requested');

    // The best network with trained weights: a training worker trains it again, the search's seeded way.
    const started = await fetch(new URL(`/v1/searches/${id}/export`, fleet.apiUrl), { method: 'POST', headers: { authorization: `Bearer ${fleet.token}` } });
    expect(started.status).toBe(202);
    const done = await waitFor(async () => {
      const e = await getJson<{ model: { state: string; validationAccuracy: number | null; modelJson: string | null; error: string | null } }>(`/v1/searches/${id}/export`);
      // A failed export says why, with what the training workers logged.
      expect(e.model.state, `the export failed: ${e.model.error}\n${workerLogs()}`).not.toBe('failed');
      return e.model.state === 'done' && e.model;
    }, 'the export to be trained', 240_000, 500);
    expect(done.validationAccuracy).toBe(d.best!.fitness);
    const modelJson = await get(done.modelJson!);
    const weights = await fetch(new URL(`/v1/searches/${id}/export/weights.bin`, fleet.apiUrl), { headers: { authorization: `Bearer ${fleet.token}` } });
    expect(weights.headers.get('content-type')).toBe('application/octet-stream');
    const json = JSON.parse(modelJson.text) as { modelTopology: object; weightsManifest: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[]; userDefinedMetadata: { input: { mean: number[] } } };
    expect(json.weightsManifest[0]!.paths).toEqual(['weights.bin']);
    expect(json.userDefinedMetadata.input.mean).toHaveLength(1);
    await tf.ready();
    const model = await tf.loadLayersModel(tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: json.weightsManifest[0]!.weights, weightData: await weights.arrayBuffer() }));
    expect(model.outputs[0]!.shape).toEqual([null, 10]);
    model.dispose();

    // The kept model is dropped on request: its job (and the files in Redis) go, and a second delete finds nothing.
    const del = () => fetch(new URL(`/v1/searches/${id}/export?candidate=${d.best!.id}`, fleet.apiUrl), { method: 'DELETE', headers: { authorization: `Bearer ${fleet.token}` } });
    expect((await del()).status).toBe(204);
    expect((await getJson<{ model: { state: string } }>(`/v1/searches/${id}/export`)).model.state).toBe('not-requested');
    expect((await get(done.modelJson!)).status).toBe(404);
    expect((await del()).status).toBe(404);
  });
});
