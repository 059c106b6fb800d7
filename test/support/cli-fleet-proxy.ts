import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A proxy in front of the API that cuts the first event stream it carries, mid-event. */
export interface CuttingProxy {
  readonly url: string;
  /** The Last-Event-ID header of each event-stream request, in order (null: none). */
  readonly eventRequests: (string | null)[];
  close(): Promise<void>;
}

/**
 * An HTTP proxy to `target`: every request is passed on as it is, except that the first
 * `GET …/events` answer is cut (its socket destroyed) in the middle of the event after its
 * `cutAfterTold`-th `told` event — a connection dropped by the network, half an event read.
 */
export async function startCuttingProxy(target: string, cutAfterTold: number): Promise<CuttingProxy> {
  const eventRequests: (string | null)[] = [];
  const server = createServer((req, res) => {
    const isEvents = /\/events(\?|$)/.test(req.url ?? '');
    const cut = isEvents && eventRequests.length === 0;
    if (isEvents) eventRequests.push((req.headers['last-event-id'] as string | undefined) ?? null);
    const upstream = request(new URL(req.url ?? '/', target), { method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      if (!cut) {
        answer.pipe(res);
        return;
      }
      let text = '';
      answer.on('data', (chunk: Buffer) => {
        const before = text.length;
        text += chunk.toString('utf8');
        const told = [...text.matchAll(/event: told\n/g)];
        if (told.length <= cutAfterTold) {
          res.write(chunk);
          return;
        }
        // Up to the middle of the next told event (past its name, before its data ends), then drop.
        const next = told[cutAfterTold]!.index + 'event: told\nid: '.length;
        answer.destroy();
        res.write(text.slice(before, Math.max(before, next)), () => res.socket?.destroy());
      });
      answer.on('end', () => res.end());
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    eventRequests,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
