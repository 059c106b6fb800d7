import { createServer } from 'node:http';
import type { IncomingHttpHeaders, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { SseParser, followStream } from './event-source.ts';
import type { SseMessage } from './event-source.ts';
import { FleetError, createFleetClient } from './fleet-client.ts';

describe('SseParser', () => {
  it('parses events split anywhere, with CRLF, CR or LF, several data lines, comments and retry', () => {
    const text = 'retry: 1500\r\n\r\n: heartbeat\n\nevent: told\rid: 7\rdata: {"a":1}\r\rdata: one\ndata: two\n\nevent: end\nid: 9\ndata: {}\n\n';
    for (const size of [1, 2, 5, text.length]) {
      const parser = new SseParser();
      const out: SseMessage[] = [];
      for (let i = 0; i < text.length; i += size) out.push(...parser.push(text.slice(i, i + size)));
      expect(out).toEqual([
        { event: 'told', id: '7', data: '{"a":1}' },
        { event: 'message', id: '7', data: 'one\ntwo' },
        { event: 'end', id: '9', data: '{}' },
      ]);
      expect(parser.retryMs).toBe(1500);
      expect(parser.lastEventId).toBe('9');
    }
  });

  it('drops the unfinished event of a cut connection on reset, keeping the last id', () => {
    const parser = new SseParser();
    expect(parser.push('event: told\nid: 3\ndata: {}\n\nevent: told\nid: 4\nda')).toHaveLength(1);
    parser.reset();
    expect(parser.lastEventId).toBe('3');
    expect(parser.push('event: told\nid: 4\ndata: {"x":1}\n\n')).toEqual([{ event: 'told', id: '4', data: '{"x":1}' }]);
  });
});

/** A local HTTP server whose handler sees each request's headers and its connection number. */
async function serve(handler: (headers: IncomingHttpHeaders, res: ServerResponse, n: number) => void): Promise<{ url: URL; server: Server }> {
  let n = 0;
  const server = createServer((req, res) => handler(req.headers, res, n++));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`), server };
}

let servers: Server[] = [];
afterEach(async () => {
  for (const s of servers) {
    s.closeAllConnections();
    await new Promise((resolve) => s.close(resolve));
  }
  servers = [];
});

const told = (seq: number) => `event: told\nid: ${seq}\ndata: {"seq":${seq}}\n\n`;
const noSleep = async () => undefined;

describe('followStream', () => {
  it('reconnects a dropped stream with Last-Event-ID and reads every event once', async () => {
    const seen: (string | undefined)[] = [];
    const { url, server } = await serve((headers, res, n) => {
      seen.push(headers['last-event-id'] as string | undefined);
      expect(headers.authorization).toBe('Bearer t0ken');
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const after = Number(headers['last-event-id'] ?? 0);
      if (n === 0) {
        // Two whole events and half of the third, then the connection drops.
        res.write(`retry: 10\n\n${told(1)}${told(2)}event: told\nid: 3\nda`, () => res.socket?.destroy());
        return;
      }
      res.end(`${[3, 4].filter((s) => s > after).map(told).join('')}event: end\nid: 4\ndata: {}\n\n`);
    });
    servers.push(server);
    const got: SseMessage[] = [];
    const reconnects: string[] = [];
    await followStream({
      client: createFleetClient({ url, token: 't0ken' }), path: 'events', sleep: noSleep,
      onMessage: (m) => (got.push(m), m.event === 'end'),
      onReconnect: (r) => reconnects.push(`${r.attempt} after ${r.lastEventId}`),
    });
    expect(seen).toEqual([undefined, '2']);
    expect(got.map((m) => `${m.event} ${m.id}`)).toEqual(['told 1', 'told 2', 'told 3', 'told 4', 'end 4']);
    expect(reconnects).toEqual(['1 after 2']);
  });

  it('takes a silent connection for dropped', async () => {
    const { url, server } = await serve((_headers, res, n) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      if (n === 0) res.write(told(1)); // then nothing, not even a heartbeat
      else res.end('event: end\nid: 1\ndata: {}\n\n');
    });
    servers.push(server);
    const reasons: string[] = [];
    await followStream({ client: createFleetClient({ url, token: 't' }), path: 'e', idleMs: 300, sleep: noSleep, onMessage: (m) => m.event === 'end', onReconnect: (r) => reasons.push(r.reason) });
    expect(reasons).toEqual(['no event or heartbeat for 0.3 s']);
  });

  it('gives up after connections in a row that read nothing, and at once on a 401', async () => {
    const { url, server } = await serve((headers, res) => {
      if (headers.authorization !== 'Bearer good') {
        res.writeHead(401, { 'content-type': 'application/json' }).end('{"error":{"code":"unauthorized","message":"no"}}');
        return;
      }
      res.writeHead(200, { 'content-type': 'text/event-stream' }).end(': nothing\n\n');
    });
    servers.push(server);
    let reconnects = 0;
    const failing = followStream({ client: createFleetClient({ url, token: 'good' }), path: 'e', maxFailures: 3, sleep: noSleep, onMessage: () => false, onReconnect: () => reconnects++ });
    await expect(failing).rejects.toThrow(/^lost the event stream of http:\/\/127\.0\.0\.1:\d+\/e 3 times in a row \(the server closed the stream\)/);
    expect(reconnects).toBe(2);
    const refused = followStream({ client: createFleetClient({ url, token: 'bad' }), path: 'e', sleep: noSleep, onMessage: () => false });
    await expect(refused).rejects.toBeInstanceOf(FleetError);
    await expect(refused).rejects.toThrow(/HTTP 401/);
  });
});
