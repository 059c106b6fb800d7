import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { OPENAPI_PATH, openApiText } from './openapi-document.ts';

type Operation = { responses: Record<string, unknown>; security?: unknown[]; parameters?: { in: string; name: string }[]; requestBody?: unknown };
type Document = { openapi: string; paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, unknown>; securitySchemes: Record<string, unknown> }; security: unknown[] };

describe('docs/openapi.json', () => {
  it('is what the code generates (run `npm run openapi` after changing a route)', async () => {
    expect(readFileSync(OPENAPI_PATH, 'utf8')).toBe(await openApiText());
  });

  it('documents every route, with 400, 401 and 404 where a route can answer them, and the bearer scheme', async () => {
    const doc = JSON.parse(await openApiText()) as Document;
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.components.securitySchemes).toEqual({ bearer: { type: 'http', scheme: 'bearer' } });
    expect(doc.security).toEqual([{ bearer: [] }]);
    const operations = Object.entries(doc.paths).flatMap(([path, ops]) => Object.entries(ops).map(([method, op]) => ({ route: `${method.toUpperCase()} ${path}`, path, op })));
    expect(operations.map((o) => o.route).sort()).toEqual([
      'DELETE /v1/searches/{id}/export', 'GET /healthz', 'GET /metrics', 'GET /openapi.json', 'GET /readyz', 'GET /v1/searches', 'GET /v1/searches/{id}',
      'GET /v1/searches/{id}/archives/{name}', 'GET /v1/searches/{id}/archives/{name}/geometry', 'GET /v1/searches/{id}/candidates', 'GET /v1/searches/{id}/candidates/{cid}', 'GET /v1/searches/{id}/events', 'GET /v1/searches/{id}/export',
      'GET /v1/searches/{id}/export/model.json', 'GET /v1/searches/{id}/export/weights.bin',
      'POST /v1/searches', 'POST /v1/searches/{id}/cancel', 'POST /v1/searches/{id}/export', 'POST /v1/searches/{id}/pause', 'POST /v1/searches/{id}/resume',
    ]);
    for (const { route, path, op } of operations) {
      const codes = Object.keys(op.responses);
      if (path === '/healthz' || path === '/readyz') {
        expect(op.security, route).toEqual([]);
        continue;
      }
      expect(codes, route).toContain('401');
      if (path.startsWith('/v1/')) expect(codes, route).toContain('400');
      if (path.includes('{id}')) {
        expect(codes, route).toContain('404');
        expect(op.parameters?.some((p) => p.in === 'path' && p.name === 'id'), route).toBe(true);
      }
    }
    const submit = doc.paths['/v1/searches']!.post!;
    expect(Object.keys(submit.responses)).toEqual(expect.arrayContaining(['200', '201', '409', '413', '415']));
    expect(submit.parameters).toContainEqual(expect.objectContaining({ in: 'header', name: 'idempotency-key' }));
    expect(JSON.stringify(submit.requestBody)).toContain('"evaluations"');
    // The free-form parts of a submission are documented from the schemas that check them.
    expect(Object.keys(doc.components.schemas).sort()).toEqual(['SearchConfig', 'SpaceOptions.code', 'SpaceOptions.nb201']);
    expect(JSON.stringify(doc.components.schemas['SpaceOptions.code'])).toMatch(/"maxParams".*"learningRate"|"learningRate".*"maxParams"/);
  });
});
