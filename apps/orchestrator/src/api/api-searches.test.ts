import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { createMemoryStore } from '@nasfleet/store';
import type { SearchStore } from '@nasfleet/store';
import type { ZodApp } from './api-context.ts';
import { createApi } from './create-api.ts';

const TOKEN = 'searches-token';
const auth = { authorization: `Bearer ${TOKEN}` };
const spec = { space: { name: 'nb201', options: { dataset: 'cifar10' } }, config: { strategy: 'hybrid', seed: 2 }, evaluations: 30 };

let store: SearchStore;
let app: ZodApp;

beforeEach(async () => {
  await app?.close();
  store = createMemoryStore();
  app = await createApi({ store, token: TOKEN, ready: async () => undefined });
});

afterAll(async () => {
  await app?.close();
});

const submit = (body: unknown, headers: Record<string, string> = {}) => app.inject({ method: 'POST', url: '/v1/searches', headers: { ...auth, ...headers }, payload: body as object });
const get = (url: string) => app.inject({ method: 'GET', url, headers: auth });

describe('POST /v1/searches', () => {
  it('creates a search (201) with its defaults filled in, and a running orchestrator would find it in the store', async () => {
    const res = await submit({ ...spec, id: 'first' });
    expect(res.statusCode).toBe(201);
    const { search } = res.json();
    expect(search).toMatchObject({ id: 'first', status: 'running', requested: null, idempotencyKey: null, error: null });
    expect(search.spec).toMatchObject({ evaluations: 30, llm: { provider: 'rule', maxTokens: 2048 }, replay: false, config: { strategy: 'hybrid', seed: 2 } });
    expect(await store.getSearch('first')).toEqual(search);
    // Without an id, a UUID.
    expect((await submit(spec)).json().search.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-/);
  });

  it('answers a bad body 400 naming every bad field, and creates nothing', async () => {
    const res = await submit({ space: { options: {} }, config: { strategy: 'hybrid' }, evaluations: -3, llm: { provider: 'gpt' }, depth: 0 });
    expect(res.statusCode).toBe(400);
    const { error } = res.json();
    expect(error.code).toBe('invalid-request');
    for (const field of ['space.name', 'evaluations', 'llm.provider', 'depth']) expect(error.message).toContain(`${field}: `);
    expect(await store.listSearches()).toEqual([]);
  });

  it('checks what SearchSpec leaves open: the space, its options (training settings, caps), the strategy and the engine settings', async () => {
    const cases: [unknown, string[]][] = [
      [{ ...spec, space: { name: 'imagenet-zoo' } }, ['space.name: unknown search space \'imagenet-zoo\' (registered: code, nb201)']],
      [{ ...spec, space: { name: 'nb201', options: { dataset: 'mnist', sgnal: 'val12' } } }, ['space.options.dataset: ', 'space.options.sgnal: unknown setting']],
      [{ ...spec, space: { name: 'code', options: { train: { batchSize: 0 }, caps: { maxParams: -1 } } } }, ['space.options.train.batchSize: ', 'space.options.caps.maxParams: ']],
      [{ ...spec, config: { strategy: 'simulated-annealing' } }, ['config.strategy: unknown strategy \'simulated-annealing\' (registered: llmatic, hybrid, feedback-memory, random, regularized-evolution)']],
      [{ ...spec, config: { strategy: 'llmatic', llmatic: { mutationProbability: 2 }, generationsize: 10 } }, ['config.llmatic.mutationProbability: ', 'config.generationsize: unknown setting']],
    ];
    for (const [body, fields] of cases) {
      const res = await submit(body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      for (const field of fields) expect(res.json().error.message).toContain(field);
    }
    expect(await store.listSearches()).toEqual([]);
  });

  it('returns the first search (200) for an idempotency key seen before, and creates nothing more', async () => {
    const first = await submit(spec, { 'idempotency-key': 'k-1' });
    expect(first.statusCode).toBe(201);
    const again = await submit({ ...spec, evaluations: 99 }, { 'idempotency-key': 'k-1' });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual(first.json());
    expect(await store.listSearches()).toHaveLength(1);
    expect((await submit(spec, { 'idempotency-key': 'k-2' })).statusCode).toBe(201);
    expect(await store.listSearches()).toHaveLength(2);
  });

  it('refuses an id that is taken (409) or malformed (400), and an empty idempotency key (400)', async () => {
    await submit({ ...spec, id: 'taken' });
    const taken = await submit({ ...spec, id: 'taken' });
    expect(taken.statusCode).toBe(409);
    expect(taken.json().error).toMatchObject({ code: 'conflict' });
    const malformed = await submit({ ...spec, id: 'a:journal' });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().error.message).toMatch(/^invalid body: id: /);
    const emptyKey = await submit(spec, { 'idempotency-key': '' });
    expect(emptyKey.statusCode).toBe(400);
    expect(emptyKey.json().error.message).toMatch(/headers\.idempotency-key: /);
    expect(await store.listSearches()).toHaveLength(1);
  });
});

describe('GET /v1/searches and /v1/searches/:id', () => {
  it('lists summaries, the most recent first, filtered by status', async () => {
    await submit({ ...spec, id: 'a' });
    await submit({ ...spec, id: 'b', config: { strategy: 'random' }, evaluations: 7 });
    await app.inject({ method: 'POST', url: '/v1/searches/a/cancel', headers: auth });
    const { searches } = (await get('/v1/searches')).json();
    expect(searches.map((s: { id: string }) => s.id)).toEqual(['b', 'a']);
    expect(searches[0]).toMatchObject({ id: 'b', status: 'running', requested: null, strategy: 'random', space: 'nb201', evaluations: 7, told: 0 });
    expect(searches[1]).toMatchObject({ id: 'a', requested: 'cancelled', strategy: 'hybrid' });
    expect((await get('/v1/searches?status=done')).json()).toEqual({ searches: [] });
    expect((await get('/v1/searches?limit=1')).json().searches).toHaveLength(1);
    const bad = await get('/v1/searches?status=sleeping&limit=0');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toMatch(/query\.status: .*query\.limit: /);
  });

  it('answers 404 for an unknown search and 400 for a malformed id', async () => {
    const unknown = await get('/v1/searches/nobody');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toEqual({ error: { code: 'not-found', message: 'no search "nobody"' } });
    const malformed = await get('/v1/searches/-dash');
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().error.message).toMatch(/^invalid params: params\.id: /);
  });

  it('reports a search no orchestrator has started: not started, told 0, no best, its budget', async () => {
    await submit({ ...spec, id: 'fresh' });
    const detail = (await get('/v1/searches/fresh')).json();
    expect(detail).toMatchObject({
      started: false, progress: { asked: 0, told: 0, inFlight: 0, evaluations: 30, fraction: 0 }, best: null, archives: {},
      outcomes: { ok: 0, failed: 0, byFailureClass: {} }, distinct: 0,
    });
    expect(detail.search.id).toBe('fresh');
  });
});

describe('pause, resume, cancel', () => {
  it('records what is asked (202 with the record) for the search\'s orchestrator to apply; 404 unknown; 409 once ended', async () => {
    await submit({ ...spec, id: 's' });
    for (const [verb, requested] of [['pause', 'paused'], ['resume', 'running'], ['cancel', 'cancelled']] as const) {
      const res = await app.inject({ method: 'POST', url: `/v1/searches/s/${verb}`, headers: auth });
      expect(res.statusCode).toBe(202);
      expect(res.json().search).toMatchObject({ id: 's', status: 'running', requested });
      expect((await store.getSearch('s'))?.requested).toBe(requested);
    }
    expect((await app.inject({ method: 'POST', url: '/v1/searches/none/pause', headers: auth })).statusCode).toBe(404);
    const lease = await store.acquireLease('s', 'o', 10_000);
    await store.setStatus('s', 'done', lease!.token);
    const ended = await app.inject({ method: 'POST', url: '/v1/searches/s/resume', headers: auth });
    expect(ended.statusCode).toBe(409);
    expect(ended.json().error).toMatchObject({ code: 'search-ended' });
    expect((await store.getSearch('s'))?.requested).toBe('cancelled');
  });
});
