import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nearestCentroid, normalise } from '@nasfleet/search';
import { createMemoryStore } from '@nasfleet/store';
import type { SearchStore } from '@nasfleet/store';
import { submitSearch } from '../../submit-search.ts';
import type { ZodApp } from '../api-context.ts';
import { createApi } from '../create-api.ts';
import { readOnlyStore } from '../testing/read-only-store.ts';
import { writeSearch } from '../testing/written-search.ts';
import type { WrittenSearch } from '../testing/written-search.ts';

const TOKEN = 'dashboard-token';
const auth = { authorization: `Bearer ${TOKEN}` };
const nb201 = { name: 'nb201', options: { dataset: 'cifar10' } };

let store: SearchStore;
let app: ZodApp;
let hybrid: WrittenSearch;
let inFlightId: string;
const written: WrittenSearch[] = [];

beforeAll(async () => {
  store = createMemoryStore();
  app = await createApi({ store: readOnlyStore(store).store, token: TOKEN, ready: async () => undefined });
  hybrid = await writeSearch(store, 'hy', { space: nb201, config: { strategy: 'hybrid', seed: 4, generationSize: 10 }, evaluations: 60 });
  written.push(hybrid);
  await hybrid.tell(30, { broken: (i) => i === 7 });
  inFlightId = (await hybrid.askOnly()).id;
  const random = await writeSearch(store, 'rnd', { space: nb201, config: { strategy: 'random' }, evaluations: 5 });
  written.push(random);
  await random.tell(2);
  await submitSearch(store, { space: nb201, config: { strategy: 'hybrid' }, evaluations: 5 }, { id: 'fresh' });
}, 120_000);

afterAll(async () => {
  await app?.close();
  for (const w of written) await w.close();
});

const get = (url: string, headers: Record<string, string> = auth) => app.inject({ method: 'GET', url, headers });

describe('GET /v1/searches/:id/candidates', () => {
  it('lists every candidate in ask order with its generation, parents and outcome, as the engine has them', async () => {
    const res = await get('/v1/searches/hy/candidates');
    expect(res.statusCode).toBe(200);
    const list = res.json();
    expect(list).toMatchObject({ searchId: 'hy', generationSize: 10, asked: 31, next: null });
    expect(list.candidates).toHaveLength(31);
    for (const c of hybrid.engine.candidates()) {
      const got = list.candidates[c.index];
      const outcome = c.result?.outcome;
      expect(got).toEqual({
        id: c.id, index: c.index, generation: Math.floor(c.index / 10), operator: c.operator, parentIds: c.parentIds,
        status: outcome?.status ?? 'in-flight', fitness: outcome?.status === 'ok' ? outcome.fitness : null,
        failureClass: outcome?.status === 'failed' ? outcome.failure.class : null, promptId: c.prompt?.id ?? null, temperature: c.temperature,
      });
    }
    expect(list.candidates.find((c: { id: string }) => c.id === inFlightId).status).toBe('in-flight');
    expect(list.candidates[7]).toMatchObject({ status: 'failed', fitness: null });
    expect(list.candidates[7].failureClass).toEqual(expect.any(String));
  });

  it('pages with from, limit and next', async () => {
    const first = (await get('/v1/searches/hy/candidates?from=5&limit=10')).json();
    expect(first.candidates.map((c: { index: number }) => c.index)).toEqual([5, 6, 7, 8, 9, 10, 11, 12, 13, 14]);
    expect(first.next).toBe(15);
    const last = (await get('/v1/searches/hy/candidates?from=25&limit=10')).json();
    expect(last.candidates).toHaveLength(6);
    expect(last.next).toBeNull();
    expect((await get('/v1/searches/hy/candidates?from=99')).json().candidates).toEqual([]);
  });

  it('is empty before the search started, and refuses a bad query or an unknown search', async () => {
    expect((await get('/v1/searches/fresh/candidates')).json()).toMatchObject({ asked: 0, candidates: [], next: null });
    const bad = await get('/v1/searches/hy/candidates?limit=0');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toMatch(/limit/);
    expect((await get('/v1/searches/nope/candidates')).statusCode).toBe(404);
    expect((await get('/v1/searches/hy/candidates', {})).statusCode).toBe(401);
  });
});

describe('GET /v1/searches/:id/archives/:name/geometry', () => {
  it('gives the centroids the archive really uses: every occupied cell is the nearest centroid of its descriptors', async () => {
    for (const name of ['network', 'prompt']) {
      const geometry = (await get(`/v1/searches/hy/archives/${name}/geometry`)).json();
      const archive = (await get(`/v1/searches/hy/archives/${name}`)).json();
      expect(geometry.niches).toBe(archive.niches);
      expect(geometry.centroids).toHaveLength(archive.niches);
      expect(geometry.descriptorNames).toHaveLength(geometry.bounds.length);
      expect(archive.cells.length).toBeGreaterThan(1);
      for (const cell of archive.cells) {
        const config = { niches: geometry.niches, seed: 0, bounds: geometry.bounds };
        expect(nearestCentroid(geometry.centroids, normalise(config, cell.descriptors)), `${name} niche of ${cell.id}`).toBe(cell.niche);
      }
    }
    const network = (await get('/v1/searches/hy/archives/network/geometry')).json();
    expect(network.descriptorNames).toEqual(['log10Flops', 'topology']);
    expect(network.bounds).toEqual(hybrid.engine.config.networkArchive.bounds);
  });

  it('is 404 for an archive the strategy lacks and 409 before the search started', async () => {
    const none = await get('/v1/searches/rnd/archives/network/geometry');
    expect(none.statusCode).toBe(404);
    expect(none.json().error.message).toMatch(/keeps none/);
    expect((await get('/v1/searches/hy/archives/other/geometry')).json().error.message).toMatch(/it has: network, prompt/);
    expect((await get('/v1/searches/fresh/archives/network/geometry')).statusCode).toBe(409);
  });
});

describe('GET /dashboard/', () => {
  it('serves the page and its bundle without a token, with a CSP; the data still needs one', async () => {
    const redirect = await get('/dashboard', {});
    expect(redirect.statusCode).toBe(302);
    expect(redirect.headers.location).toBe('dashboard/');
    const page = await get('/dashboard/', {});
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.headers['content-security-policy']).toMatch(/script-src 'self'/);
    expect(page.body).toContain('<script type="module" src="./app.js">');
    const js = await get('/dashboard/app.js', {});
    expect(js.statusCode).toBe(200);
    expect(js.headers['content-type']).toMatch(/^text\/javascript/);
    expect(js.body.length).toBeGreaterThan(10_000);
    expect((await get('/dashboard/app.css', {})).headers['content-type']).toMatch(/^text\/css/);
    expect((await get('/dashboard/other.js', {})).statusCode).toBe(401);
    expect((await get('/v1/searches', {})).statusCode).toBe(401);
  });
});
