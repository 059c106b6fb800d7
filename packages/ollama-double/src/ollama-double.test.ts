import { Ollama } from 'ollama';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOllamaDouble, type OllamaDouble } from './ollama-double.ts';

/** The client's ResponseError (ollama 0.6.4 does not export the class): name, error text, status. */
type ResponseError = Error & { error: string; status_code: number };

// The double is checked through the real `ollama` npm client (the one the providers will use) and,
// for the OpenAI-compatible route, through plain fetch and the SSE wire format.
const ANSWER = '```javascript\nfunction buildModel(tf, inputShape, numClasses) {\n  return model;\n}\n```';
let double: OllamaDouble;
let client: Ollama;

beforeAll(async () => {
  double = await startOllamaDouble({ models: ['qwen2.5-coder:7b', 'deepseek-coder'], respond: () => ANSWER, version: '0.6.5' });
  client = new Ollama({ host: double.url });
});
afterAll(() => double.close());

describe('the Ollama double speaks Ollama', () => {
  it('lists its models and its version', async () => {
    const tags = await client.list();
    expect(tags.models.map((m) => m.name)).toEqual(['qwen2.5-coder:7b', 'deepseek-coder:latest']);
    expect(await (await fetch(`${double.url}/api/version`)).json()).toEqual({ version: '0.6.5' });
  });

  it('answers /api/chat without streaming, with eval counts, and records the request', async () => {
    const r = await client.chat({
      model: 'qwen2.5-coder:7b', stream: false, format: 'json',
      messages: [{ role: 'system', content: 'You write networks.' }, { role: 'user', content: 'parent code here' }],
      options: { temperature: 0.7, seed: 42 },
    });
    expect(r.message).toEqual({ role: 'assistant', content: ANSWER });
    expect(r.done).toBe(true);
    expect(r.done_reason).toBe('stop');
    expect(r.eval_count).toBe(ANSWER.split(/\s+/).filter(Boolean).length);
    expect(r.eval_duration).toBeGreaterThan(0);
    const seen = double.requests.at(-1);
    expect(seen).toMatchObject({ route: '/api/chat', model: 'qwen2.5-coder:7b', format: 'json', stream: false, options: { temperature: 0.7, seed: 42 } });
    expect(seen?.messages[1]).toEqual({ role: 'user', content: 'parent code here' });
  });

  it('streams /api/chat as NDJSON pieces whose concatenation is the answer; the last part carries the counts', async () => {
    const parts = [];
    for await (const part of await client.chat({ model: 'deepseek-coder', stream: true, messages: [{ role: 'user', content: 'go' }] })) parts.push(part);
    expect(parts.length).toBeGreaterThan(3);
    expect(parts.map((p) => p.message.content).join('')).toBe(ANSWER);
    expect(parts.slice(0, -1).every((p) => !p.done)).toBe(true);
    expect(parts.at(-1)).toMatchObject({ done: true, done_reason: 'stop', eval_count: expect.any(Number) });
  });

  it('answers /api/generate, streamed or not, and cuts at num_predict with done_reason length', async () => {
    const whole = await client.generate({ model: 'qwen2.5-coder:7b', prompt: 'p', stream: false });
    expect(whole.response).toBe(ANSWER);
    let text = '';
    let last;
    for await (const part of await client.generate({ model: 'qwen2.5-coder:7b', prompt: 'p', stream: true, options: { num_predict: 3 } })) {
      text += part.response;
      last = part;
    }
    expect(text).toBe(ANSWER.match(/\S+\s*/g)?.slice(0, 3).join(''));
    expect(last).toMatchObject({ done: true, done_reason: 'length', eval_count: 3 });
  });

  it('refuses an unknown model with 404 and the message Ollama gives', async () => {
    const err = await client.chat({ model: 'llama3', stream: false, messages: [{ role: 'user', content: 'x' }] }).catch((e: unknown) => e);
    expect((err as Error).name).toBe('ResponseError');
    expect((err as ResponseError).status_code).toBe(404);
    expect((err as ResponseError).error).toBe('model "llama3" not found, try pulling it first');
  });

  it('plays a busy server (503) and an error status once each, then answers again', async () => {
    double.fail({ kind: 'busy' }, { kind: 'status', status: 500, message: 'llama runner process has terminated' });
    const busy = await client.generate({ model: 'qwen2.5-coder:7b', prompt: 'p', stream: false }).catch((e: unknown) => e);
    expect((busy as ResponseError).status_code).toBe(503);
    expect((busy as ResponseError).error).toMatch(/server busy/);
    const crashed = await client.generate({ model: 'qwen2.5-coder:7b', prompt: 'p', stream: false }).catch((e: unknown) => e);
    expect((crashed as ResponseError).status_code).toBe(500);
    expect((await client.generate({ model: 'qwen2.5-coder:7b', prompt: 'p', stream: false })).response).toBe(ANSWER);
  });

  it('sends an error line in the middle of a stream (status 200), which the client raises', async () => {
    double.fail({ kind: 'stream-error', afterPieces: 2, message: 'an error was encountered while running the model' });
    const got: string[] = [];
    const err = await (async () => {
      for await (const part of await client.chat({ model: 'qwen2.5-coder:7b', stream: true, messages: [{ role: 'user', content: 'x' }] })) got.push(part.message.content);
    })().catch((e: unknown) => e);
    expect(got).toHaveLength(2);
    expect(String(err)).toContain('an error was encountered while running the model');
  });

  it('drops the connection before the answer or in the middle of a stream', async () => {
    double.fail({ kind: 'drop', afterPieces: 0 });
    await expect(client.chat({ model: 'qwen2.5-coder:7b', stream: false, messages: [{ role: 'user', content: 'x' }] })).rejects.toThrow();
    double.fail({ kind: 'drop', afterPieces: 2 });
    const got: string[] = [];
    const err = await (async () => {
      for await (const part of await client.chat({ model: 'qwen2.5-coder:7b', stream: true, messages: [{ role: 'user', content: 'x' }] })) got.push(part.message.content);
    })().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect(got.join('')).not.toBe(ANSWER);
  });

  it('rejects a body that is not JSON, or has no model, with 400 and an error message', async () => {
    const bad = await fetch(`${double.url}/api/chat`, { method: 'POST', body: '{not json' });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ error: expect.stringContaining('invalid character') });
    const noModel = await fetch(`${double.url}/api/generate`, { method: 'POST', body: JSON.stringify({ prompt: 'x' }) });
    expect(noModel.status).toBe(400);
    expect(await noModel.json()).toEqual({ error: 'model is required' });
  });
});

describe("the double's OpenAI-compatible /v1/chat/completions", () => {
  const post = (body: unknown): Promise<Response> =>
    fetch(`${double.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer ollama' }, body: JSON.stringify(body) });

  it('answers without streaming with choices and usage; temperature, seed and max_tokens become options', async () => {
    const r = await post({ model: 'qwen2.5-coder:7b', messages: [{ role: 'user', content: 'x' }], temperature: 0.3, seed: 7 });
    const body = (await r.json()) as { usage: { completion_tokens: number } };
    expect(body).toMatchObject({ object: 'chat.completion', model: 'qwen2.5-coder:7b', choices: [{ index: 0, message: { role: 'assistant', content: ANSWER }, finish_reason: 'stop' }] });
    expect(body.usage.completion_tokens).toBeGreaterThan(0);
    expect(double.requests.at(-1)).toMatchObject({ route: '/v1/chat/completions', stream: false, options: { temperature: 0.3, seed: 7 } });
  });

  it('streams server-sent events of chunks ending with data: [DONE]', async () => {
    const r = await post({ model: 'qwen2.5-coder:7b', messages: [{ role: 'user', content: 'x' }], stream: true, max_tokens: 4 });
    expect(r.headers.get('content-type')).toBe('text/event-stream');
    const events = (await r.text()).split('\n\n').filter(Boolean).map((e) => e.replace(/^data: /, ''));
    expect(events.at(-1)).toBe('[DONE]');
    const chunks = events.slice(0, -1).map((e) => JSON.parse(e));
    expect(chunks.every((c) => c.object === 'chat.completion.chunk')).toBe(true);
    expect(chunks.map((c) => c.choices[0].delta.content).join('')).toBe(ANSWER.match(/\S+\s*/g)?.slice(0, 4).join(''));
    expect(chunks.at(-1).choices[0].finish_reason).toBe('length');
  });

  it('gives an OpenAI-shaped 404 for an unknown model', async () => {
    const r = await post({ model: 'gpt-4', messages: [{ role: 'user', content: 'x' }] });
    expect(r.status).toBe(404);
    expect(await r.json()).toEqual({ error: { message: 'model "gpt-4" not found, try pulling it first', type: 'not_found_error', param: null, code: null } });
  });
});
