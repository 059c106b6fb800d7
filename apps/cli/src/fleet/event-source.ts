import { FleetError } from './fleet-client.ts';
import type { FleetClient } from './fleet-client.ts';

/** One server-sent event: its name (`message` when unnamed), the last event id so far, and its data. */
export interface SseMessage {
  event: string;
  id: string | null;
  data: string;
}

/**
 * An incremental text/event-stream parser (the WHATWG rules the API needs): lines end in LF, CRLF or
 * CR; `event`, `data` (several lines joined by LF), `id` and `retry` fields; `:` comments skipped; an
 * event is complete at a blank line (and dispatched only if it had data); its id becomes the last
 * event id then, and persists across events. An event cut off by a dropped connection counts for nothing.
 */
export class SseParser {
  private buffer = '';
  private event = '';
  private data: string[] = [];
  private sawData = false;
  /** The id fields read so far; it becomes the last event id when its event is complete. */
  private idBuffer: string | null;
  /** The id of the last complete event (what Last-Event-ID sends). */
  lastEventId: string | null;
  retryMs: number | null = null;

  constructor(lastEventId: string | null = null) {
    this.lastEventId = lastEventId;
    this.idBuffer = lastEventId;
  }

  /** A new connection: what was read of an unfinished event is dropped; the last event id is kept. */
  reset(): void {
    this.buffer = '';
    this.event = '';
    this.data = [];
    this.sawData = false;
    this.idBuffer = this.lastEventId;
  }

  /** Feeds decoded text; returns the events it completed. */
  push(text: string): SseMessage[] {
    this.buffer += text;
    const out: SseMessage[] = [];
    for (;;) {
      const end = this.buffer.search(/\r\n|\r|\n/);
      // A lone CR at the very end may be the first half of a CRLF: wait for more.
      if (end < 0 || (this.buffer[end] === '\r' && end === this.buffer.length - 1)) break;
      const line = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + (this.buffer.startsWith('\r\n', end) ? 2 : 1));
      const message = this.line(line);
      if (message) out.push(message);
    }
    return out;
  }

  private line(line: string): SseMessage | null {
    if (line === '') {
      this.lastEventId = this.idBuffer;
      const message = this.sawData ? { event: this.event || 'message', id: this.lastEventId, data: this.data.join('\n') } : null;
      this.event = '';
      this.data = [];
      this.sawData = false;
      return message;
    }
    if (line.startsWith(':')) return null;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'event') this.event = value;
    else if (field === 'data') {
      this.data.push(value);
      this.sawData = true;
    } else if (field === 'id' && !value.includes('\0')) this.idBuffer = value;
    else if (field === 'retry' && /^\d+$/.test(value)) this.retryMs = Number(value);
    return null;
  }
}

/** Why a stream is being opened again. */
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
