/** One event as a client reads it off a text/event-stream. */
export interface ReadEvent {
  event: string;
  id: string | null;
  data: unknown;
}

/** Parses complete events (and skips comments and `retry:` lines) from event-stream text. */
export function parseSse(text: string): ReadEvent[] {
  return text.split('\n\n').filter((block) => block.split('\n').some((l) => l.startsWith('data:'))).map((block) => {
    const field = (name: string) => block.split('\n').find((l) => l.startsWith(`${name}: `))?.slice(name.length + 2) ?? null;
    return { event: field('event') ?? 'message', id: field('id'), data: JSON.parse(field('data')!) as unknown };
  });
}

/** An event stream read over HTTP with node's fetch: events as they arrive, until the server ends it or `close()`. */
export interface SseConnection {
  readonly status: number;
  readonly headers: Headers;
  /** Waits until an event satisfies `until` (or the stream ends) and returns every event read so far. */
  read(until: (events: ReadEvent[]) => boolean): Promise<ReadEvent[]>;
  /** Waits until the raw text read so far satisfies `until` (or the stream ends) and returns it. */
  readText(until: (text: string) => boolean): Promise<string>;
  /** Resolves with the raw text once the server ended the stream. */
  ended(): Promise<string>;
  close(): void;
}

export async function connectSse(url: string, headers: Record<string, string>): Promise<SseConnection> {
  const abort = new AbortController();
  const res = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: abort.signal });
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  let done = false;
  const pull = async (): Promise<void> => {
    const chunk = await reader.read();
    if (chunk.done) done = true;
    else text += decoder.decode(chunk.value, { stream: true });
  };
  return {
    status: res.status,
    headers: res.headers,
    async read(until) {
      while (!done && !until(parseSse(text))) await pull();
      return parseSse(text);
    },
    async readText(until) {
      while (!done && !until(text)) await pull();
      return text;
    },
    async ended() {
      while (!done) await pull();
      return text;
    },
    close() {
      abort.abort();
    },
  };
}
