import { failureOf } from './api-client.ts';
import type { ApiClient } from './api-client.ts';
import { SseParser } from './sse-parser.ts';
import type { SseMessage } from './sse-parser.ts';

/** How the connection to a search's event stream stands. */
export type StreamState = 'connecting' | 'live' | 'retrying' | 'ended' | 'unauthorized';

export interface FollowOptions {
  api: ApiClient;
  searchId: string;
  onEvent: (message: SseMessage) => void;
  onState: (state: StreamState, detail?: string) => void;
  /** Wait before reconnecting when the server asked for none (ms). */
  retryMs?: number;
  /** Replaced in tests. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

const defaultSleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });

/**
 * Follows `GET /v1/searches/:id/events` with fetch() and a stream reader, because EventSource cannot
 * send the Authorization header. Reconnects after a dropped connection with `Last-Event-ID` (the last
 * id seen), so nothing is missed or repeated; stops at the `end` event, on 401/404, or on `stop()`.
 */
export function followEvents(options: FollowOptions): { stop(): void; done: Promise<void> } {
  const abort = new AbortController();
  const sleep = options.sleep ?? defaultSleep;
  let lastId: string | null = null;

  const once = async (): Promise<'ended' | 'again' | 'fatal'> => {
    const headers = options.api.headers({ accept: 'text/event-stream', ...(lastId === null ? {} : { 'last-event-id': lastId }) });
    const res = await fetch(options.api.url(`/v1/searches/${encodeURIComponent(options.searchId)}/events`), { headers, signal: abort.signal, cache: 'no-store' });
    if (!res.ok) {
      const failure = await failureOf(res);
      options.onState(res.status === 401 ? 'unauthorized' : 'retrying', failure.message);
      return res.status === 401 || res.status === 404 ? 'fatal' : 'again';
    }
    if (!res.body) throw new Error('the event stream has no body');
    options.onState('live');
    const parser = new SseParser();
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        for (const message of parser.push(value)) {
          if (message.id !== null) lastId = message.id;
          options.onEvent(message);
          if (message.event === 'end') return 'ended';
        }
      }
    } finally {
      reader.releaseLock();
    }
    if (parser.retryMs !== null) options.retryMs = parser.retryMs;
    return 'again';
  };

  const done = (async () => {
    options.onState('connecting');
    while (!abort.signal.aborted) {
      let outcome: 'ended' | 'again' | 'fatal';
      try {
        outcome = await once();
      } catch (error) {
        if (abort.signal.aborted) return;
        options.onState('retrying', (error as Error).message);
        outcome = 'again';
      }
      if (outcome === 'ended') {
        options.onState('ended');
        return;
      }
      if (outcome === 'fatal') return;
      options.onState('retrying');
      await sleep(options.retryMs ?? 2000, abort.signal);
    }
  })();
  return { stop: () => abort.abort(), done };
}
