/** One server-sent event: its name (`message` by default), data (lines joined by \n) and id, if it had one. */
export interface SseMessage {
  event: string;
  data: string;
  id: string | null;
}

/**
 * An incremental text/event-stream parser (the HTML standard's rules, for what this API sends):
 * chunks may split lines and events anywhere; lines end with \n, \r\n or \r; `:` lines are comments;
 * a blank line dispatches the event; an event without data is dropped. `retry` is kept for the caller.
 */
export class SseParser {
  private buffer = '';
  private event = '';
  private data: string[] = [];
  private id: string | null = null;
  private sawCr = false;
  /** The reconnection delay the server last asked for, in ms (null: none asked). */
  retryMs: number | null = null;

  /** Feeds a chunk of text; returns the events it completed. */
  push(chunk: string): SseMessage[] {
    let text = chunk;
    // A \r\n split across chunks: the \n belongs to the \r already taken as a line end.
    if (this.sawCr && text.startsWith('\n')) text = text.slice(1);
    this.sawCr = false;
    this.buffer += text;
    const out: SseMessage[] = [];
    for (;;) {
      const match = /\r\n|\r|\n/.exec(this.buffer);
      if (!match) break;
      // A trailing \r may be the first half of \r\n: take it, and skip a \n that starts the next chunk.
      if (match[0] === '\r' && match.index === this.buffer.length - 1) this.sawCr = true;
      const line = this.buffer.slice(0, match.index);
      this.buffer = this.buffer.slice(match.index + match[0].length);
      const message = this.line(line);
      if (message) out.push(message);
    }
    return out;
  }

  private line(line: string): SseMessage | null {
    if (line === '') {
      const message = this.data.length ? { event: this.event || 'message', data: this.data.join('\n'), id: this.id } : null;
      this.event = '';
      this.data = [];
      this.id = null;
      return message;
    }
    if (line.startsWith(':')) return null;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') this.event = value;
    else if (field === 'data') this.data.push(value);
    else if (field === 'id' && !value.includes('\0')) this.id = value;
    else if (field === 'retry' && /^\d+$/.test(value)) this.retryMs = Number(value);
    return null;
  }
}
