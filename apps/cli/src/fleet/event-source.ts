import { createParser } from 'eventsource-parser';
import { FleetError } from './fleet-client.ts';
import type { FleetClient } from './fleet-client.ts';

/** One server-sent event: its name (`message` when unnamed), the last event id so far, and its data. */
export interface SseMessage {
  event: string;
  id: string | null;
  data: string;
}

/**
 * An incremental text/event-stream parser: eventsource-parser (the WHATWG rules: lines end in LF,
 * CRLF or CR; `event`, `data` (several lines joined by LF), `id` and `retry` fields; `:` comments
 * skipped; an event is complete at a blank line, and dispatched only if it had data), plus what a
 * client that resumes needs: the last event id, which persists across events and connections (what
 * Last-Event-ID sends), and the server's retry delay. An event cut off by a dropped connection
 * counts for nothing.
 */
export class SseParser {
  /** The id of the last complete event (what Last-Event-ID sends). */
  lastEventId: string | null;
  retryMs: number | null = null;
  private completed: SseMessage[] = [];
  private readonly parser = createParser({
    onEvent: (e) => {
      if (e.id !== undefined) this.lastEventId = e.id;
      this.completed.push({ event: e.event ?? 'message', id: this.lastEventId, data: e.data });
    },
    onRetry: (ms) => {
      this.retryMs = ms;
    },
  });

  constructor(lastEventId: string | null = null) {
    this.lastEventId = lastEventId;
  }

  /** A new connection: what was read of an unfinished event is dropped; the last event id is kept. */
  reset(): void {
    this.parser.reset();
  }

  /** Feeds decoded text; returns the events it completed. */
  push(text: string): SseMessage[] {
    this.parser.feed(text);
    const out = this.completed;
    this.completed = [];
    return out;
  }
}

export interface Reconnect {
  attempt: number;
  lastEventId: string | null;
  reason: string;
}

export interface FollowStreamOptions {
  client: FleetClient;
  path: string;
  /** Called for each event; return true to stop reading (the `end` event). */
  onMessage: (message: SseMessage) => boolean;
  onReconnect?: (info: Reconnect) => void;
  /** Connections in a row that may fail (no event read) before giving up (default 10). */
  maxFailures?: number;
  /** A connection silent this long is taken for dropped (the server sends a heartbeat every 15 s; default 45 s). */
  idleMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Reads a server-sent event stream until `onMessage` says stop. A dropped connection (closed by
 * the network or the server, silent past `idleMs`, refused while the orchestrator restarts) is
 * opened again with `Last-Event-ID`, after the server's `retry` delay, so no event is missed or
 * read twice. An answer that says the request itself is wrong (401, 404, 400) ends it at once.
 */
export async function followStream(options: FollowStreamOptions): Promise<void> {
  const sleep = options.sleep ?? wait;
  const maxFailures = options.maxFailures ?? 10;
  const idleMs = options.idleMs ?? 45_000;
  const parser = new SseParser();
  let failures = 0;
  for (let attempt = 0; ; attempt++) {
    let reason: string;
    let readAny = false;
    const abort = new AbortController();
    let idle: NodeJS.Timeout | undefined;
    const touch = () => {
      clearTimeout(idle);
      idle = setTimeout(() => abort.abort(new Error(`no event or heartbeat for ${idleMs / 1000} s`)), idleMs);
    };
    try {
      const headers: Record<string, string> = { accept: 'text/event-stream' };
      if (parser.lastEventId !== null) headers['last-event-id'] = parser.lastEventId;
      touch();
      parser.reset();
      const response = await options.client.request('GET', options.path, { headers, signal: abort.signal });
      const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
      for (;;) {
        const chunk = await reader.read();
        if (chunk.done) break;
        touch();
        for (const message of parser.push(chunk.value)) {
          readAny = true;
          if (options.onMessage(message)) {
            await reader.cancel().catch(() => undefined);
            return;
          }
        }
      }
      reason = 'the server closed the stream';
    } catch (error) {
      if (error instanceof FleetError && error.status !== null && error.status < 500) throw error;
      const aborted = abort.signal.aborted ? (abort.signal.reason as Error).message : null;
      reason = aborted ?? (error instanceof Error ? error.message : String(error));
    } finally {
      clearTimeout(idle);
    }
    failures = readAny ? 0 : failures + 1;
    if (failures >= maxFailures) throw new FleetError(`lost the event stream of ${options.client.base.href}${options.path} ${failures} times in a row (${reason}); \`nasfleet follow\` again to resume`);
    options.onReconnect?.({ attempt: attempt + 1, lastEventId: parser.lastEventId, reason });
    await sleep(parser.retryMs ?? 2_000);
  }
}
