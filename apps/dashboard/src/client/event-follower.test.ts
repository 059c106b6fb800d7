import { createServer } from 'node:http';
import type { IncomingHttpHeaders, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiClient } from './api-client.ts';
import { followEvents } from './event-follower.ts';
import type { StreamState } from './event-follower.ts';

let server: Server | null = null;

/** A server answering each request to the events route with `answers[n]` (status and body); records the headers. */
async function serve(answers: { status: number; body: string; drop?: boolean }[]): Promise<{ base: string; seen: IncomingHttpHeaders[] }> {
  const seen: IncomingHttpHeaders[] = [];
  server = createServer((req, res) => {
    seen.push(req.headers);
    const answer = answers[Math.min(seen.length - 1, answers.length - 1)]!;
    res.writeHead(answer.status, { 'content-type': answer.status === 200 ? 'text/event-stream' : 'application/json' });
    // A dropped connection: the body is sent, then the socket is cut without an `end` event.
    if (answer.drop) res.write(answer.body, () => setTimeout(() => res.destroy(), 100));
    else res.end(answer.body);
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return { base: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, seen };
}

afterEach(async () => {
  await new Promise((resolve) => server?.close(resolve));
  server = null;
});

const noWait = async () => undefined;

describe('followEvents', () => {
  it('sends the token, resumes after a dropped connection with Last-Event-ID, and stops at end', async () => {
    const { base, seen } = await serve([
      { status: 200, body: 'retry: 10\n\nevent: told\nid: 3\ndata: {"id":"c0"}\n\nevent: told\nid: 5\ndata: {"id":"c1"}\n\n', drop: true },
      { status: 200, body: 'event: told\nid: 8\ndata: {"id":"c2"}\n\nevent: end\nid: 8\ndata: {"status":"done"}\n\n' },
    ]);
    const events: string[] = [];
    const states: StreamState[] = [];
    const follower = followEvents({ api: new ApiClient(base, 'tok-1234567890abcdef'), searchId: 's 1', onEvent: (m) => events.push(`${m.event}:${m.id}`), onState: (s) => states.push(s), sleep: noWait });
    await follower.done;
    expect(events).toEqual(['told:3', 'told:5', 'told:8', 'end:8']);
    expect(seen).toHaveLength(2);
    expect(seen[0]!.authorization).toBe('Bearer tok-1234567890abcdef');
    expect(seen[0]!['last-event-id']).toBeUndefined();
    expect(seen[1]!['last-event-id']).toBe('5');
    expect(states[0]).toBe('connecting');
    expect(states).toContain('retrying');
    expect(states.at(-1)).toBe('ended');
  });

  it('gives up on 401 (the page asks for the token again), naming the API\'s message', async () => {
    const { base, seen } = await serve([{ status: 401, body: '{"error":{"code":"unauthorized","message":"the bearer token is wrong"}}' }]);
    const states: string[] = [];
    const follower = followEvents({ api: new ApiClient(base, 'wrong'), searchId: 'x', onEvent: () => undefined, onState: (s, d) => states.push(`${s}${d ? ` ${d}` : ''}`), sleep: noWait });
    await follower.done;
    expect(seen).toHaveLength(1);
    expect(states.at(-1)).toBe('unauthorized 401: the bearer token is wrong');
  });
});
