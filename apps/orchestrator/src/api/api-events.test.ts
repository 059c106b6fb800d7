import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CandidateResult } from '@nasfleet/contracts';
import { createMemoryStore } from '@nasfleet/store';
import type { SearchStore } from '@nasfleet/store';
import type { ZodApp } from './api-context.ts';
import { createApi } from './create-api.ts';
import { readOnlyStore } from './testing/read-only-store.ts';
import { connectSse, parseSse } from './testing/sse-client.ts';
import type { ReadEvent, SseConnection } from './testing/sse-client.ts';
import { writeSearch } from './testing/written-search.ts';
import type { WrittenSearch } from './testing/written-search.ts';

const TOKEN = 'events-token';
const auth = { authorization: `Bearer ${TOKEN}` };
const spec = { space: { name: 'nb201', options: { dataset: 'cifar10' } }, config: { strategy: 'random', seed: 1 }, evaluations: 10 };

let store: SearchStore;
let calls: Map<string, number>;
let app: ZodApp;
let base: string;
const written: WrittenSearch[] = [];
const connections: SseConnection[] = [];

beforeAll(async () => {
  store = createMemoryStore();
  const view = readOnlyStore(store);
  calls = view.calls;
  app = await createApi({ store: view.store, token: TOKEN, ready: async () => undefined, eventPollMs: 50, heartbeatMs: 200 });
  await app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
}, 60_000);

afterAll(async () => {
  for (const c of connections) c.close();
  await app?.close();
  for (const w of written) await w.close();
});

const write = async (id: string) => {
  const w = await writeSearch(store, id, spec);
  written.push(w);
  return w;
};
const connect = async (id: string, headers: Record<string, string> = {}) => {
  const c = await connectSse(`${base}/v1/searches/${id}/events`, { ...auth, ...headers });
  connections.push(c);
  return c;
};
const toldOf = (events: ReadEvent[]) => events.filter((e) => e.event === 'told');
const expected = (r: CandidateResult) => (r.outcome.status === 'ok'
  ? { id: r.id, index: Number(r.id.slice(1)), status: 'ok', fitness: r.outcome.fitness }
  : { id: r.id, index: Number(r.id.slice(1)), status: 'failed', failureClass: r.outcome.failure.class });

describe('GET /v1/searches/:id/events over HTTP', () => {
  it('streams status, asks and tells as they are journaled, resumes after Last-Event-ID, and ends with the search', { timeout: 120_000 }, async () => {
    const w = await write('live');
    const results = await w.tell(3);
    const first = await connect('live');
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    let events = await first.read((e) => toldOf(e).length === 3);
    expect(events[0]).toEqual({ event: 'status', id: null, data: { status: 'running', requested: null, error: null } });
    expect(events.filter((e) => e.event === 'asked').map((e) => e.data)).toEqual(results.map((r) => ({ ids: [r.id] })));
    expect(toldOf(events).map((e) => e.data)).toEqual(results.map(expected));
    // Each event's id is its journal seq: they increase, and a tell's is after its ask's.
    const ids = events.filter((e) => e.id !== null).map((e) => Number(e.id));
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(Number(toldOf(events).at(-1)!.id)).toBe(w.lastSeq());

    // Written while the client watches: arrives on the open stream, a broken candidate as its failure class.
    const more = await w.tell(2, { broken: (i) => i === 4 });
    events = await first.read((e) => toldOf(e).length === 5);
    expect(toldOf(events).slice(3).map((e) => e.data)).toEqual(more.map(expected));
    expect((toldOf(events)[4]!.data as { status: string }).status).toBe('failed');
    expect(await first.readText((t) => t.includes(': heartbeat\n\n'))).toContain(': heartbeat\n\n');

    // The client goes away: the server stops polling the store for it.
    first.close();
    await sleep(500);
    const reads = calls.get('readJournal');
    await sleep(500);
    expect(calls.get('readJournal')).toBe(reads);

    // Reconnecting after the third tell gets exactly what followed it.
    const resumeAfter = toldOf(events)[2]!.id!;
    const second = await connect('live', { 'last-event-id': resumeAfter });
    const resumed = await second.read((e) => toldOf(e).length === 2);
    expect(resumed[0]!.event).toBe('status');
    const expectedAfter = events.filter((e) => e.id !== null && Number(e.id) > Number(resumeAfter));
    expect(resumed.slice(1)).toEqual(expectedAfter);

    await w.tell(1);
    await w.setStatus('done');
    const text = await second.ended();
    const all = parseSse(text);
    expect(all.map((e) => e.event).slice(-4)).toEqual(['asked', 'told', 'status', 'end']);
    expect(all.at(-2)!.data).toEqual({ status: 'done', requested: null, error: null });
    expect(all.at(-1)).toEqual({ event: 'end', id: String(w.lastSeq()), data: { status: 'done', error: null } });
  });
});

describe('GET /v1/searches/:id/events', () => {
  it('streams an ended search from the start and ends it', async () => {
    const w = await write('ended');
    const results = await w.tell(4);
    await w.setStatus('failed', 'the space could not be made');
    const res = await app.inject({ method: 'GET', url: '/v1/searches/ended/events', headers: auth });
    expect(res.statusCode).toBe(200);
    const events = parseSse(res.body);
    expect(events.map((e) => e.event)).toEqual(['status', ...results.flatMap(() => ['asked', 'told']), 'end']);
    expect(events.at(-1)!.data).toEqual({ status: 'failed', error: 'the space could not be made' });
  });

  it('sends a snapshot (the search in full, id: the latest seq) when the position asked for was trimmed, then what follows it', { timeout: 120_000 }, async () => {
    const w = await write('trimmed');
    await w.tell(5);
    await w.trim();
    // From the start (seq 0) or after seq 1: both were trimmed.
    const fromStart = await connect('trimmed');
    expect((await fromStart.read((e) => e.some((x) => x.event === 'snapshot'))).map((e) => e.event)).toEqual(['status', 'snapshot']);
    fromStart.close();
    const c = await connect('trimmed', { 'last-event-id': '1' });
    const first = await c.read((e) => e.some((x) => x.event === 'snapshot'));
    expect(first.map((e) => e.event)).toEqual(['status', 'snapshot']);
    expect(first[1]!.id).toBe(String(w.lastSeq()));
    expect(first[1]!.data).toMatchObject({ search: { id: 'trimmed' }, progress: { told: 5 } });
    const later = await w.tell(1);
    await w.setStatus('done');
    const all = parseSse(await c.ended());
    expect(all.map((e) => e.event)).toEqual(['status', 'snapshot', 'asked', 'told', 'status', 'end']);
    expect(all[3]!.data).toEqual(expected(later[0]!));
  });

  it('answers 404 for an unknown search and 400 for a Last-Event-ID that is not a seq, as JSON', async () => {
    const unknown = await app.inject({ method: 'GET', url: '/v1/searches/nobody/events', headers: auth });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error.code).toBe('not-found');
    await write('bad-id');
    const bad = await app.inject({ method: 'GET', url: '/v1/searches/bad-id/events', headers: { ...auth, 'last-event-id': 'latest' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toMatch(/headers\.last-event-id: must be a journal seq/);
  });

  it('ends open streams when the API closes, so that closing does not wait for the searches to end', { timeout: 60_000 }, async () => {
    await write('long');
    const other = await createApi({ store, token: TOKEN, ready: async () => undefined, eventPollMs: 50 });
    await other.listen({ port: 0, host: '127.0.0.1' });
    const c = await connectSse(`http://127.0.0.1:${(other.server.address() as AddressInfo).port}/v1/searches/long/events`, auth);
    connections.push(c);
    expect((await c.read((e) => e.length > 0))[0]!.event).toBe('status');
    await other.close();
    expect(parseSse(await c.ended()).map((e) => e.event)).toEqual(['status']);
  });
});
