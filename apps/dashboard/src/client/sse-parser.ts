import { createParser } from 'eventsource-parser';

/** One server-sent event: its name (`message` by default), data (lines joined by \n) and id, if it had one. */
export interface SseMessage {
  event: string;
  data: string;
  id: string | null;
}

/**
 * An incremental text/event-stream parser: eventsource-parser (the HTML standard's rules: chunks may
 * split lines and events anywhere, lines end with \n, \r\n or \r, `:` lines are comments, a blank
 * line dispatches the event, one without data is dropped), giving back the events each chunk
 * completed. `retry` is kept for the caller.
 */
export class SseParser {
  /** The reconnection delay the server last asked for, in ms (null: none asked). */
  retryMs: number | null = null;
  private completed: SseMessage[] = [];
  private readonly parser = createParser({
    onEvent: (e) => this.completed.push({ event: e.event ?? 'message', data: e.data, id: e.id ?? null }),
    onRetry: (ms) => {
      this.retryMs = ms;
    },
  });

  /** Feeds a chunk of text; returns the events it completed. */
  push(chunk: string): SseMessage[] {
    this.parser.feed(chunk);
    const out = this.completed;
    this.completed = [];
    return out;
  }
}
