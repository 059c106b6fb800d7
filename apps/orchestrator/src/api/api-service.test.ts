import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryStore } from '@nasfleet/store';
import type { SearchStore } from '@nasfleet/store';
import type { ZodApp } from './api-context.ts';
import { createApi } from './create-api.ts';

const TOKEN = 'test-token-0123456789';
const auth = { authorization: `Bearer ${TOKEN}` };
const spec = { space: { name: 'nb201', options: { dataset: 'cifar10' } }, config: { strategy: 'random' }, evaluations: 5 };

let app: ZodApp;
let store: SearchStore;
let readiness: Error | null = null;

beforeAll(async () => {
  store = createMemoryStore();
  app = await createApi({
    store, token: TOKEN, renderMetrics: async () => '# HELP up 1\nup 1\n',
    ready: async () => {
      if (readiness) throw readiness;
    },
  });
  await app.ready();
});

afterAll(async () => {
  await app?.close();
});

/** Every documented route with its path parameters filled in. */
function routes(): { method: string; url: string }[] {
  const doc = app.swagger() as { paths: Record<string, Record<string, unknown>> };
  return Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.keys(ops).map((method) => ({ method: method.toUpperCase(), url: path.replace('{id}', 's1').replace('{name}', 'network').replace('{cid}', 'c000000') })));
}

describe('bearer auth', () => {
  it('refuses every route but /healthz and /readyz without the token, or with a wrong one, with 401 and WWW-Authenticate: Bearer', async () => {
    const all = routes();
    expect(all.length).toBeGreaterThanOrEqual(14);
    for (const { method, url } of all) {
      const open = url === '/healthz' || url === '/readyz';
      for (const headers of [{}, { authorization: 'Bearer wrong' }, { authorization: `Bearer ${TOKEN}x` }, { authorization: `Basic ${TOKEN}` }]) {
        const res = await app.inject({ method: method as 'GET', url, headers, ...(method === 'POST' ? { payload: spec } : {}) });
        if (open) {
          expect(res.statusCode, `${method} ${url}`).toBe(200);
          continue;
        }
        expect(res.statusCode, `${method} ${url} ${JSON.stringify(headers)}`).toBe(401);
        expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
        expect(res.json()).toMatchObject({ error: { code: 'unauthorized' } });
      }
      const ok = await app.inject({ method: method as 'GET', url, headers: auth, ...(method === 'POST' ? { payload: spec } : {}) });
      expect(ok.statusCode, `${method} ${url} with the token`).not.toBe(401);
    }
    // Nothing was created by the refused submissions (the one with the token created one).
    expect((await store.listSearches()).length).toBe(1);
  });

  it('checks the token before the body: an unauthenticated bad body is a 401, not a 400 that describes the schema', async () => {
    const res = await app.inject({ method: 'POST', url: '/v1/searches', payload: { nonsense: true } });
    expect(res.statusCode).toBe(401);
    expect(res.body).not.toMatch(/evaluations/);
  });

  it('answers an unknown route 401 without the token and a JSON 404 with it', async () => {
    expect((await app.inject({ method: 'GET', url: '/v1/nothing' })).statusCode).toBe(401);
    const res = await app.inject({ method: 'GET', url: '/v1/nothing', headers: auth });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ error: { code: 'not-found', message: 'no route GET /v1/nothing' } });
  });
});

describe('service routes', () => {
  it('healthz is 200; readyz is 200 when ready and 503 with the reason when not', async () => {
    expect((await app.inject({ method: 'GET', url: '/healthz' })).json()).toEqual({ status: 'ok' });
    expect((await app.inject({ method: 'GET', url: '/readyz' })).json()).toEqual({ status: 'ready' });
    readiness = new Error('redis: connect ECONNREFUSED 127.0.0.1:6379');
    try {
      const res = await app.inject({ method: 'GET', url: '/readyz' });
      expect(res.statusCode).toBe(503);
      expect(res.json()).toEqual({ error: { code: 'not-ready', message: 'redis: connect ECONNREFUSED 127.0.0.1:6379' } });
    } finally {
      readiness = null;
    }
  });

  it('serves the metrics as Prometheus text, and 404 in a process without metrics', async () => {
    const res = await app.inject({ method: 'GET', url: '/metrics', headers: auth });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(res.body).toBe('# HELP up 1\nup 1\n');
    const bare = await createApi({ store: createMemoryStore(), token: TOKEN, ready: async () => undefined });
    try {
      const none = await bare.inject({ method: 'GET', url: '/metrics', headers: auth });
      expect(none.statusCode).toBe(404);
      expect(none.json().error.code).toBe('not-found');
    } finally {
      await bare.close();
    }
  });

  it('refuses an empty token at creation', async () => {
    await expect(createApi({ store: createMemoryStore(), token: '', ready: async () => undefined })).rejects.toThrow(/token/);
  });
});

describe('errors', () => {
  it('answers a body over the limit 413, a non-JSON body 415 and malformed JSON 400, all as { error: { code, message } }', async () => {
    const big = await app.inject({ method: 'POST', url: '/v1/searches', headers: { ...auth, 'content-type': 'application/json' }, payload: JSON.stringify({ ...spec, pad: 'x'.repeat(1024 * 1024 + 1) }) });
    expect(big.statusCode).toBe(413);
    expect(big.json().error.code).toBe('body-too-large');
    const text = await app.inject({ method: 'POST', url: '/v1/searches', headers: { ...auth, 'content-type': 'text/plain' }, payload: 'evaluations=5' });
    expect(text.statusCode).toBe(415);
    expect(text.json().error.code).toBe('unsupported-media-type');
    const broken = await app.inject({ method: 'POST', url: '/v1/searches', headers: { ...auth, 'content-type': 'application/json' }, payload: '{"space":' });
    expect(broken.statusCode).toBe(400);
    expect(broken.json().error.code).toBe('invalid-request');
  });

  it('answers a failure inside a route 500 with a generic message: no stack, no internals', async () => {
    const failing = { ...createMemoryStore(), listSearches: async () => Promise.reject(new Error('secret internals at /srv/redis:42')) } as SearchStore;
    const broken = await createApi({ store: failing, token: TOKEN, ready: async () => undefined });
    try {
      const res = await broken.inject({ method: 'GET', url: '/v1/searches', headers: auth });
      expect(res.statusCode).toBe(500);
      expect(res.json()).toEqual({ error: { code: 'internal', message: 'internal error (the orchestrator\'s log has the details)' } });
      expect(res.body).not.toMatch(/secret|at \//);
    } finally {
      await broken.close();
    }
  });
});
