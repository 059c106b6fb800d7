import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { FleetError, createFleetClient } from './fleet-client.ts';

const base = new URL('http://head:8080/prefix/');
const answer = (status: number, body: string, type = 'application/json') => async () => new Response(body, { status, headers: { 'content-type': type } });
const failing = (cause: object) => async () => {
  throw Object.assign(new TypeError('fetch failed'), { cause });
};
const client = (fetchImpl: () => Promise<Response>) => createFleetClient({ url: base, token: 'secret' }, fetchImpl as typeof fetch);

describe('the fleet client', () => {
  it('sends the bearer token to a route under the base path, and the JSON body', async () => {
    const calls: { url: string; init: RequestInit }[] = [];
    const fake = (async (url: URL, init: RequestInit) => {
      calls.push({ url: url.href, init });
      return new Response('{"ok":true}', { status: 201 });
    }) as unknown as typeof fetch;
    const { status, data } = await createFleetClient({ url: base, token: 'secret' }, fake).json(z.object({ ok: z.boolean() }), 'POST', 'v1/searches', { body: { a: 1 }, headers: { 'idempotency-key': 'k' } });
    expect({ status, data }).toEqual({ status: 201, data: { ok: true } });
    expect(calls[0]!.url).toBe('http://head:8080/prefix/v1/searches');
    expect(calls[0]!.init.headers).toEqual({ authorization: 'Bearer secret', 'idempotency-key': 'k', 'content-type': 'application/json' });
    expect(calls[0]!.init.body).toBe('{"a":1}');
  });

  it('says what went wrong in one line: the token, the API\'s message, a server that is not the API, no server', async () => {
    await expect(client(answer(401, '{"error":{"code":"unauthorized","message":"x"}}')).request('GET', 'v1/searches')).rejects.toThrow(
      'the fleet at http://head:8080/prefix/ refused the token (HTTP 401): pass the orchestrator\'s API_TOKEN with --token or NASFLEET_TOKEN');
    await expect(client(answer(404, '{"error":{"code":"not-found","message":"no search \\"x\\""}}')).request('GET', 'v1/searches/x')).rejects.toThrow('no search "x" (HTTP 404 not-found)');
    await expect(client(answer(404, '<html>nginx</html>', 'text/html')).request('GET', 'v1/searches')).rejects.toThrow(
      'GET http://head:8080/prefix/v1/searches answered HTTP 404 (text/html), not the nasfleet API\'s JSON: is --url / NASFLEET_URL the orchestrator\'s API?');
    await expect(client(answer(200, '<html></html>', 'text/html')).json(z.object({}), 'GET', 'v1/searches')).rejects.toThrow(/answered HTTP 200 with something that is not JSON/);
    await expect(client(answer(200, '{"searches":3}')).json(z.object({ searches: z.array(z.unknown()) }), 'GET', 'v1/searches')).rejects.toThrow(/^GET v1\/searches: the answer is not what this nasfleet expects \(searches: /);
    const refused = client(failing({ code: 'ECONNREFUSED' })).request('GET', 'v1/searches');
    await expect(refused).rejects.toThrow('cannot reach the fleet at http://head:8080/prefix/: connection refused (is the orchestrator running, with API_TOKEN set, on that port?)');
    await expect(refused).rejects.toMatchObject({ status: null, code: 'ECONNREFUSED' });
    // Node resolves localhost to ::1 and 127.0.0.1 and reports both refusals in an AggregateError.
    await expect(client(failing({ errors: [{ code: 'ECONNREFUSED' }, { code: 'ECONNREFUSED' }] })).request('GET', 'x')).rejects.toThrow(/connection refused/);
    await expect(client(failing({ code: 'ENOTFOUND' })).request('GET', 'x')).rejects.toThrow(/: no such host$/);
    await expect(client(answer(500, '{"error":{"code":"internal","message":"boom"}}')).request('GET', 'x')).rejects.toBeInstanceOf(FleetError);
  });
});
