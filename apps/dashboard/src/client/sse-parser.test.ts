import { describe, expect, it } from 'vitest';
import { SseParser } from './sse-parser.ts';

const STREAM = 'retry: 2000\n\nevent: status\ndata: {"status":"running"}\n\nevent: told\nid: 3\ndata: {"id":"c000000"}\n\n: heartbeat\n\nevent: end\nid: 9\ndata: {"status":"done"}\n\n';

describe('SseParser', () => {
  it('reads the API\'s stream into events with their ids, skipping comments, and keeps the retry', () => {
    const p = new SseParser();
    expect(p.push(STREAM)).toEqual([
      { event: 'status', data: '{"status":"running"}', id: null },
      { event: 'told', data: '{"id":"c000000"}', id: '3' },
      { event: 'end', data: '{"status":"done"}', id: '9' },
    ]);
    expect(p.retryMs).toBe(2000);
  });

  it('gives the same events however the text is split into chunks, with \\n, \\r\\n or \\r line ends', () => {
    const whole = new SseParser().push(STREAM);
    for (const ending of ['\n', '\r\n', '\r']) {
      const text = STREAM.replaceAll('\n', ending);
      for (const size of [1, 2, 3, 7, 64]) {
        const p = new SseParser();
        const got = [];
        for (let i = 0; i < text.length; i += size) got.push(...p.push(text.slice(i, i + size)));
        // A CR at the very end may be the first half of a CRLF: the event it ends waits for the next line (the server's heartbeat comment).
        if (ending === '\r') got.push(...p.push(': heartbeat\r'));
        expect(got, `${JSON.stringify(ending)} in chunks of ${size}`).toEqual(whole);
      }
    }
  });

  it('joins data lines, defaults the event name, drops an event without data, and holds an unfinished event', () => {
    const p = new SseParser();
    expect(p.push('data: a\ndata:b\n\nevent: x\n\nid: 4\ndata: c')).toEqual([{ event: 'message', data: 'a\nb', id: null }]);
    expect(p.push('\n\n')).toEqual([{ event: 'message', data: 'c', id: '4' }]);
  });
});
