import { Ollama } from 'ollama';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startOllamaDouble, type OllamaDouble } from './ollama-double.ts';

// What the providers' tests need beyond Ollama's plain API: slow streams a client can walk away
// from (and the double noticing), requests that never get an answer, /v1/models, the OpenAI
// request fields Ollama maps, and a server that ignores the token cap.
const WORDS = Array.from({ length: 40 }, (_, i) => `word${i}`).join(' ');
let slow: OllamaDouble;

beforeAll(async () => {
  slow = await startOllamaDouble({ models: ['qwen2.5-coder:7b'], respond: () => WORDS, pieceDelayMs: 20 });
});
afterAll(() => slow.close());

describe('slow streams and clients that leave early', () => {
  it('records clientClosedEarly and stops writing when the client aborts a slow stream', async () => {
    const client = new Ollama({ host: slow.url });
    const stream = await client.chat({ model: 'qwen2.5-coder:7b', stream: true, messages: [{ role: 'user', content: 'x' }] });
    let text = '';
    for await (const part of stream) {
      text += part.message.content;
      if (text.split(' ').length > 3) {
        stream.abort();
        break;
      }
    }
    const seen = slow.requests.at(-1);
    await vi.waitFor(() => expect(seen?.clientClosedEarly).toBe(true), { timeout: 10_000 });
    // Give the double time to notice; it must not go on writing the other ~36 pieces.
    await new Promise((r) => setTimeout(r, 200));
    expect(seen?.piecesSent).toBeLessThan(20);
  });

  it('leaves clientClosedEarly false when the client reads to the end', async () => {
    const client = new Ollama({ host: slow.url });
    let text = '';
    for await (const part of await client.chat({ model: 'qwen2.5-coder:7b', stream: true, messages: [{ role: 'user', content: 'x' }] })) text += part.message.content;
    expect(text).toBe(WORDS);
    const seen = slow.requests.at(-1);
    expect(seen).toMatchObject({ clientClosedEarly: false, piecesSent: 40 });
  });
});

describe('faults added for timeouts', () => {
  it('hang: accepts and never answers until the client gives up; the next request is answered', async () => {
    const double = await startOllamaDouble({ respond: () => 'fine' });
    try {
      double.fail({ kind: 'hang' });
      const err = await fetch(`${double.url}/api/chat`, { method: 'POST', body: JSON.stringify({ model: 'qwen2.5-coder:7b', messages: [] }), signal: AbortSignal.timeout(300) }).catch((e: unknown) => e);
      expect((err as Error).name).toBe('TimeoutError');
      const ok = await fetch(`${double.url}/api/chat`, { method: 'POST', body: JSON.stringify({ model: 'qwen2.5-coder:7b', messages: [], stream: false }) });
      expect(await ok.json()).toMatchObject({ message: { content: 'fine' } });
      await vi.waitFor(() => expect(double.requests[0]?.clientClosedEarly).toBe(true), { timeout: 10_000 });
    } finally {
      await double.close();
    }
  });

  it('hang after some pieces: the stream stalls mid-way', async () => {
    const double = await startOllamaDouble({ respond: () => WORDS });
    try {
      double.fail({ kind: 'hang', afterPieces: 2 });
      const controller = new AbortController();
      const client = new Ollama({ host: double.url, fetch: (url, init) => fetch(url, { ...init, signal: controller.signal }) });
      const got: string[] = [];
      const timer = setTimeout(() => controller.abort(), 500);
      const err = await (async () => {
        for await (const part of await client.chat({ model: 'qwen2.5-coder:7b', stream: true, messages: [{ role: 'user', content: 'x' }] })) got.push(part.message.content);
      })().catch((e: unknown) => e);
      clearTimeout(timer);
      expect(got).toEqual(['word0 ', 'word1 ']);
      expect((err as Error).name).toBe('AbortError');
    } finally {
      await double.close();
    }
  });
});

describe('a connection dropped mid-stream', () => {
  it('delivers the pieces before the drop, then the client sees the connection cut', async () => {
    const double = await startOllamaDouble({ respond: () => WORDS });
    try {
      double.fail({ kind: 'drop', afterPieces: 3 });
      const got: string[] = [];
      const err = await (async () => {
        for await (const part of await new Ollama({ host: double.url }).chat({ model: 'qwen2.5-coder:7b', stream: true, messages: [] })) got.push(part.message.content);
      })().catch((e: unknown) => e);
      expect(got).toEqual(['word0 ', 'word1 ', 'word2 ']);
      expect(String(err)).toMatch(/terminated|other side closed|did not receive done/i);
      expect(double.requests[0]).toMatchObject({ piecesSent: 3, clientClosedEarly: false });
    } finally {
      await double.close();
    }
  });
});

describe('OpenAI-compatible additions and a server that ignores the token cap', () => {
  it('lists models at GET /v1/models as OpenAI does', async () => {
    const double = await startOllamaDouble({ models: ['qwen2.5-coder:7b', 'llama3'] });
    try {
      const body = await (await fetch(`${double.url}/v1/models`)).json();
      expect(body).toEqual({
        object: 'list',
        data: [
          { id: 'qwen2.5-coder:7b', object: 'model', created: expect.any(Number), owned_by: 'library' },
          { id: 'llama3:latest', object: 'model', created: expect.any(Number), owned_by: 'library' },
        ],
      });
    } finally {
      await double.close();
    }
  });

  it('records response_format as Ollama maps it to format, and sends a usage chunk when asked', async () => {
    const double = await startOllamaDouble({ respond: () => '{"a": 1}' });
    const post = (body: unknown): Promise<Response> => fetch(`${double.url}/v1/chat/completions`, { method: 'POST', body: JSON.stringify(body) });
    try {
      const schema = { type: 'object', properties: { a: { type: 'number' } } };
      await (await post({ model: 'qwen2.5-coder:7b', messages: [], response_format: { type: 'json_object' } })).json();
      expect(double.requests.at(-1)?.format).toBe('json');
      await (await post({ model: 'qwen2.5-coder:7b', messages: [], response_format: { type: 'json_schema', json_schema: { name: 'x', schema } } })).json();
      expect(double.requests.at(-1)?.format).toEqual(schema);
      const sse = await (await post({ model: 'qwen2.5-coder:7b', messages: [], stream: true, stream_options: { include_usage: true } })).text();
      const events = sse.split('\n\n').filter(Boolean).map((e) => e.replace(/^data: /, ''));
      expect(events.at(-1)).toBe('[DONE]');
      expect(JSON.parse(events.at(-2) ?? '')).toMatchObject({ choices: [], usage: { completion_tokens: 2, prompt_tokens: 0 } });
    } finally {
      await double.close();
    }
  });

  it('ignoreTokenLimit: num_predict is recorded but the whole answer is sent; keep_alive is recorded', async () => {
    const double = await startOllamaDouble({ respond: () => WORDS, ignoreTokenLimit: true });
    try {
      const r = await new Ollama({ host: double.url }).chat({ model: 'qwen2.5-coder:7b', stream: false, messages: [], keep_alive: '30m', options: { num_predict: 3 } });
      expect(r.message.content).toBe(WORDS);
      expect(r.done_reason).toBe('stop');
      expect(double.requests.at(-1)).toMatchObject({ options: { num_predict: 3 }, keepAlive: '30m' });
    } finally {
      await double.close();
    }
  });
});
