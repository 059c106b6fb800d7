import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CandidateResult } from '@nasfleet/contracts';
import { createMemoryStore } from '@nasfleet/store';
import type { SearchStore } from '@nasfleet/store';
import { submitSearch } from '../submit-search.ts';
import type { ZodApp } from './api-context.ts';
import { createApi } from './create-api.ts';
import { readOnlyStore } from './testing/read-only-store.ts';
import { writeSearch } from './testing/written-search.ts';
import type { WrittenSearch } from './testing/written-search.ts';

const TOKEN = 'results-token';
const auth = { authorization: `Bearer ${TOKEN}` };
const nb201 = { name: 'nb201', options: { dataset: 'cifar10' } };

let store: SearchStore;
let calls: Map<string, number>;
let app: ZodApp;
// Seeded from the initial network (the hybrid's default seeds with samples), so every lineage ends at c000000.
let hybrid: WrittenSearch;
let told: CandidateResult[];
let inFlightId: string;
const written: WrittenSearch[] = [];

beforeAll(async () => {
  store = createMemoryStore();
  // The API reads through a view that refuses every write of a search's state: reads must never write.
  const view = readOnlyStore(store);
  calls = view.calls;
  app = await createApi({ store: view.store, token: TOKEN, ready: async () => undefined });
  hybrid = await writeSearch(store, 'hy', { space: nb201, config: { strategy: 'hybrid', seed: 3, generationSize: 10, llmatic: { seeding: 'initial' } }, evaluations: 40 });
  written.push(hybrid);
  told = await hybrid.tell(24, { broken: (i) => i === 5 || i === 11 });
  inFlightId = (await hybrid.askOnly()).id;
  const random = await writeSearch(store, 'rnd', { space: nb201, config: { strategy: 'random' }, evaluations: 10 });
  written.push(random);
  await random.tell(3);
  const failing = await writeSearch(store, 'fails', { space: nb201, config: { strategy: 'random' }, evaluations: 10 });
  written.push(failing);
  await failing.tell(2, { broken: () => true });
  await submitSearch(store, { space: nb201, config: { strategy: 'hybrid' }, evaluations: 5 }, { id: 'fresh' });
}, 120_000);

afterAll(async () => {
  await app?.close();
  for (const w of written) await w.close();
});

const get = (url: string) => app.inject({ method: 'GET', url, headers: auth });
const fitnessOf = (r: CandidateResult) => (r.outcome.status === 'ok' ? r.outcome.fitness : -Infinity);

describe('GET /v1/searches/:id', () => {
  it('reports progress, the best candidate, the archives and the outcomes by failure class, as the engine has them', async () => {
    const res = await get('/v1/searches/hy');
    expect(res.statusCode).toBe(200);
    const detail = res.json();
    expect(detail.started).toBe(true);
    expect(detail.progress).toEqual({ asked: 25, told: 24, inFlight: 1, evaluations: 40, fraction: 0.6 });
    const best = [...told].sort((a, b) => fitnessOf(b) - fitnessOf(a))[0]!;
    expect(detail.best).toEqual({ id: hybrid.engine.best()!.id, fitness: fitnessOf(best) });
    const status = hybrid.engine.status();
    expect(detail.archives.network).toEqual({
      niches: 100, size: status.details.networkArchive!.size, coverage: status.details.networkArchive!.coverage,
      qdScore: status.details.networkArchive!.qdScore, best: status.details.networkArchive!.best,
    });
    expect(detail.archives.network.size).toBeGreaterThan(1);
    expect(detail.archives.prompt).toMatchObject({ niches: 100, size: status.details.promptArchive!.size, qdScore: null });
    const failed = told.filter((r) => r.outcome.status === 'failed');
    expect(failed.length).toBe(2);
    const classes: Record<string, number> = {};
    for (const r of failed) if (r.outcome.status === 'failed') classes[r.outcome.failure.class] = (classes[r.outcome.failure.class] ?? 0) + 1;
    expect(detail.outcomes).toEqual({ ok: 22, failed: 2, byFailureClass: classes });
    expect(detail.distinct).toBe(status.distinct);
    expect(detail.strategyStats).toEqual(status.details);
    expect((await get('/v1/searches')).json().searches.find((s: { id: string }) => s.id === 'hy')).toMatchObject({ told: 24, strategy: 'hybrid', evaluations: 40 });
  });

  it('restores a search once, then applies only what was journaled since; rebuilds when the journal was trimmed past it', async () => {
    const rnd = written[1]!;
    await get('/v1/searches/rnd');
    const loads = calls.get('loadSnapshot') ?? 0;
    await get('/v1/searches/rnd');
    await get('/v1/searches/rnd/export');
    await rnd.tell(3);
    await rnd.askOnly();
    const caughtUp = (await get('/v1/searches/rnd')).json();
    expect(caughtUp.progress).toMatchObject({ told: 6, asked: 7, inFlight: 1 });
    expect(calls.get('loadSnapshot') ?? 0).toBe(loads);
    // What it caught up to is what a reader that restores from scratch sees.
    const fresh = await createApi({ store, token: TOKEN, ready: async () => undefined });
    try {
      expect((await fresh.inject({ method: 'GET', url: '/v1/searches/rnd', headers: auth })).json()).toEqual(caughtUp);
    } finally {
      await fresh.close();
    }
    await rnd.tell(1);
    await rnd.trim();
    expect((await get('/v1/searches/rnd')).json().progress.told).toBe(7);
    expect(calls.get('loadSnapshot')).toBe(loads + 1);
  });

  it('rebuilds a search whose first entries are journaled but whose first snapshot is not (made fresh from its spec)', async () => {
    await submitSearch(store, { space: nb201, config: { strategy: 'random' }, evaluations: 3 }, { id: 'early' });
    const lease = await store.acquireLease('early', 'o', 10_000);
    await store.append('early', [{ op: 'ask', n: 2, ids: ['c000000', 'c000001'] }], lease!.token);
    const detail = (await get('/v1/searches/early')).json();
    expect(detail).toMatchObject({ started: true, progress: { asked: 2, told: 0, inFlight: 2 }, best: null });
  });
});

describe('GET /v1/searches/:id/archives/:name', () => {
  it('lists the occupied cells of the network and the prompt archive with the niche count', async () => {
    const archives = hybrid.engine.archives();
    for (const name of ['network', 'prompt']) {
      const res = await get(`/v1/searches/hy/archives/${name}`);
      expect(res.statusCode).toBe(200);
      const body = res.json();
      expect(body).toEqual({ searchId: 'hy', name, niches: 100, size: archives[name]!.cells.length, coverage: archives[name]!.cells.length / 100, cells: archives[name]!.cells });
    }
    const cell = (await get('/v1/searches/hy/archives/network')).json().cells[0];
    expect(Object.keys(cell).sort()).toEqual(['descriptors', 'fitness', 'id', 'niche']);
    expect(hybrid.engine.candidate(cell.id)?.result?.outcome).toEqual({ status: 'ok', fitness: cell.fitness });
  });

  it('answers 404 for an archive the strategy does not have, 409 before the search started, 404 for an unknown search', async () => {
    const none = await get('/v1/searches/hy/archives/elites');
    expect(none.statusCode).toBe(404);
    expect(none.json().error.message).toBe('search hy has no archive \'elites\' (it has: network, prompt)');
    expect((await get('/v1/searches/rnd/archives/network')).json().error.message).toMatch(/its strategy keeps none/);
    const fresh = await get('/v1/searches/fresh/archives/network');
    expect(fresh.statusCode).toBe(409);
    expect(fresh.json().error.code).toBe('not-started');
    expect((await get('/v1/searches/nobody/archives/network')).statusCode).toBe(404);
  });
});

describe('GET /v1/searches/:id/candidates/:cid', () => {
  it('gives a told candidate\'s provenance record, its code and its lineage back to the first candidate', async () => {
    const deepest = hybrid.engine.candidates().filter((c) => c.result?.outcome.status === 'ok').at(-1)!;
    const res = await get(`/v1/searches/hy/candidates/${deepest.id}`);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ searchId: 'hy', id: deepest.id, told: true, stage: 'told', code: deepest.artifact, request: null });
    expect(body.provenance).toEqual(await store.getCandidate('hy', deepest.id));
    expect(body.candidate).toEqual(deepest);
    const expected: string[] = [];
    for (let p = deepest.parentIds[0]; p !== undefined; p = hybrid.engine.candidate(p)!.parentIds[0]) expected.push(p);
    expect(expected.length).toBeGreaterThan(0);
    expect(body.lineage.map((a: { id: string }) => a.id)).toEqual(expected);
    expect(body.lineage.at(-1)).toMatchObject({ id: 'c000000', operator: 'seed', parentIds: [] });
    for (const a of body.lineage) {
      const c = hybrid.engine.candidate(a.id)!;
      expect(a).toEqual({ id: c.id, operator: c.operator, parentIds: c.parentIds, status: c.result!.outcome.status, fitness: c.result!.outcome.status === 'ok' ? c.result!.outcome.fitness : null });
    }
  });

  it('gives what the engine knows of a candidate in flight, told: false, with its stage and request', async () => {
    const body = (await get(`/v1/searches/hy/candidates/${inFlightId}`)).json();
    expect(body).toMatchObject({ id: inFlightId, told: false, stage: 'train', provenance: null });
    expect(body.candidate).toMatchObject({ id: inFlightId, result: null });
    expect(body.request.id).toBe(inFlightId);
    expect(body.request.parents.every((p: { artifact: string }) => p.artifact === '')).toBe(true);
    expect(typeof body.code).toBe('string');
    expect(body.lineage.length).toBeGreaterThan(0);
  });

  it('answers 404 for an unknown candidate or search', async () => {
    const res = await get('/v1/searches/hy/candidates/c999999');
    expect(res.statusCode).toBe(404);
    expect(res.json().error.message).toBe('search hy has no candidate \'c999999\'');
    expect((await get('/v1/searches/nobody/candidates/c000000')).statusCode).toBe(404);
  });
});

describe('GET /v1/searches/:id/export', () => {
  it('gives the best candidate\'s cell and fitness, and says there are no weights (no model to export)', async () => {
    const best = hybrid.engine.best()!;
    const body = (await get('/v1/searches/hy/export')).json();
    expect(body).toEqual({
      searchId: 'hy', candidateId: best.id, space: 'nb201', fitness: fitnessOf(best.result!), code: best.artifact, architecture: null,
      metrics: best.result!.metrics, model: null, note: expect.stringMatching(/no weights/),
    });
    expect(body.code).toMatch(/^\|/);
  });

  it('answers 409 while the search has no successful candidate', async () => {
    for (const id of ['fails', 'fresh']) {
      const res = await get(`/v1/searches/${id}/export`);
      expect(res.statusCode).toBe(409);
      expect(res.json().error).toEqual({ code: 'no-result', message: `search ${id} has no successful candidate yet` });
    }
  });

  it('refuses to export weights of a look-up space (409), and serves no model files before an export is done (404)', async () => {
    const post = await app.inject({ method: 'POST', url: '/v1/searches/hy/export', headers: { authorization: `Bearer ${TOKEN}` } });
    expect(post.statusCode).toBe(409);
    expect(post.json().error).toEqual({ code: 'no-weights', message: 'search hy runs in the nb201 space, whose candidates have no weights to export' });
    for (const file of ['model.json', 'weights.bin']) expect((await get(`/v1/searches/hy/export/${file}`)).statusCode).toBe(404);
  });

  it('exports any told successful candidate by ?candidate=; one in flight or failed is 409, an unknown one 404, a stray parameter 400', async () => {
    const other = told.find((r) => r.outcome.status === 'ok' && r.id !== hybrid.engine.best()!.id)!;
    const body = (await get(`/v1/searches/hy/export?candidate=${other.id}`)).json();
    expect(body).toMatchObject({ searchId: 'hy', candidateId: other.id, fitness: fitnessOf(other), code: other.artifact });
    const failed = told.find((r) => r.outcome.status === 'failed')!;
    const cases: [string, number, string][] = [
      [`candidate=${inFlightId}`, 409, `candidate ${inFlightId} of search hy is still in flight`],
      [`candidate=${failed.id}`, 409, `candidate ${failed.id} of search hy failed (`],
      ['candidate=c999999', 404, 'search hy has no candidate c999999'],
      ['cand=c000001', 400, 'cand'],
    ];
    for (const [query, status, message] of cases) {
      const res = await get(`/v1/searches/hy/export?${query}`);
      expect(res.statusCode, query).toBe(status);
      expect(res.json().error.message).toContain(message);
    }
  });

  it('DELETE of an export needs queues (503 here) and checks the candidate first', async () => {
    const del = (url: string) => app.inject({ method: 'DELETE', url, headers: auth });
    expect((await del('/v1/searches/hy/export')).statusCode).toBe(503);
    expect((await del('/v1/searches/nope/export')).statusCode).toBe(503);
    expect((await app.inject({ method: 'DELETE', url: '/v1/searches/hy/export' })).statusCode).toBe(401);
  });
});
