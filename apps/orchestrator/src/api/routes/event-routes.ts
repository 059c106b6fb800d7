import { once } from 'node:events';
import { z } from 'zod';
import { errorResponses } from '../api-errors.ts';
import { LastEventHeaders, SearchParams } from '../api-schemas.ts';
import type { ApiContext, ZodApp } from '../api-context.ts';
import { streamSearchEvents } from '../event-stream.ts';
import type { EventStream } from '../event-stream.ts';

const STREAM_HELP = [
  'Server-sent events (text/event-stream), polled from the store every few hundred milliseconds:',
  '`status` {status, requested, error} first and on every change;',
  '`asked` {ids} and `told` {id, index, status: ok | failed, fitness | failureClass}, each with `id:` its journal seq;',
  '`snapshot` (the search in full, as GET /v1/searches/{id}) when the position asked for was trimmed from the journal, then the events after it;',
  '`end` {status, error} once the search has ended and everything was sent, and the stream closes.',
  'A comment line (`: heartbeat`) keeps idle connections open. Reconnect with `Last-Event-ID: <seq>` to resume after that event.',
].join(' ');

/** The live event stream of a search (`GET /v1/searches/:id/events`). */
export function eventRoutes(app: ZodApp, ctx: ApiContext): void {
  // Open streams never finish on their own while a search runs: closing the API ends them, or close() would wait forever.
  const open = new Set<EventStream>();
  app.addHook('preClose', async () => {
    for (const stream of open) stream.stop();
  });

  app.get('/v1/searches/:id/events', {
    schema: {
      operationId: 'searchEvents', tags: ['searches'], summary: 'A search\'s live events', description: STREAM_HELP,
      params: SearchParams, headers: LastEventHeaders,
      response: { 200: { description: 'The event stream.', content: { 'text/event-stream': { schema: z.string() } } }, ...errorResponses(400, 401, 404) },
    },
  }, async (request, reply) => {
    const { id } = request.params;
    await ctx.viewOf(id);
    const afterSeq = Number(request.headers['last-event-id'] ?? 0);
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache, no-transform', connection: 'keep-alive', 'x-accel-buffering': 'no' });
    res.write('retry: 2000\n\n');
    const send = async (chunk: string): Promise<void> => {
      if (res.destroyed || res.writableEnded) throw new Error('the client went away');
      if (!res.write(chunk)) await Promise.race([once(res, 'drain'), once(res, 'close')]);
    };
    const stream = streamSearchEvents({
      store: ctx.store, reader: ctx.reader, searchId: id, afterSeq, send, pollMs: ctx.eventPollMs, heartbeatMs: ctx.heartbeatMs,
      log: (line) => request.log.warn(line),
    });
    // The client going away ends the polling; the stream ending (the search ended) ends the response.
    open.add(stream);
    res.on('close', () => stream.stop());
    await stream.done;
    open.delete(stream);
    if (!res.writableEnded) res.end();
  });
}
