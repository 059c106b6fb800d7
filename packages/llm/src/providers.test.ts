import { countTokens, startOllamaDouble, streamPieces, type OllamaDouble } from '@nasfleet/ollama-double';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LlmAbortError, LlmModelNotFoundError, LlmRequestError, LlmTimeoutError, LlmTransientError, LlmUnavailableError } from './llm-errors.ts';
import { CODE_BLOCK, INSTALLED, KITS, MODEL, PLAIN, RAMBLE, rejectionOf, startDouble } from './provider-test-kit.ts';
import { completeCodeBlock, completeJsonObject } from './stop-predicates.ts';

// Both providers, one suite, against the real Ollama double on a free port: no fetch is mocked.
// Each test gets its own double, so a fault one test queues cannot leak into the next.
const user = (content: string) => [{ role: 'system' as const, content: 'You write TF.js networks.' }, { role: 'user' as const, content }];

describe.each(KITS)('$kind provider against the Ollama double', (kit) => {
  let double: OllamaDouble;
  beforeEach(async () => {
    double = await startDouble();
  });
  afterEach(() => double.close());

  it('answers a plain request: text, token counts, duration, one attempt', async () => {
    const r = await kit.make(double.url).chat({ model: MODEL, messages: user('hello'), temperature: 0.7 });
    expect(r).toMatchObject({ text: PLAIN, model: MODEL, provider: kit.kind, stoppedEarly: false, truncated: false, attempts: 1 });
    expect(r.completionTokens).toBe(countTokens(PLAIN));
    expect(r.promptTokens).toBe(countTokens('You write TF.js networks.\nhello'));
    expect(r.durationMs).toBeGreaterThan(0);
    expect(double.requests).toHaveLength(1);
    expect(double.requests[0]?.stream).toBe(true);
  });

  it('sends model, temperature, seed, the token cap and the format', async () => {
    const provider = kit.make(double.url);
    await provider.chat({ model: MODEL, messages: user('hello'), temperature: 0.3, seed: 42, maxTokens: 300, format: 'json' });
    const schema = { type: 'object', properties: { op: { type: 'string' } }, required: ['op'] };
    await provider.chat({ model: MODEL, messages: user('hello'), temperature: 0, format: schema });
    const [first, second] = double.requests;
    expect(first).toMatchObject({ model: MODEL, format: 'json', options: { temperature: 0.3, seed: 42, num_predict: 300 } });
    expect(first?.messages).toEqual(user('hello'));
    expect(second?.format).toEqual(schema);
    expect(second?.options.seed).toBeUndefined();
    if (kit.kind === 'ollama') {
      expect(first).toMatchObject({ route: '/api/chat', keepAlive: '45m', options: { num_ctx: 4096 } });
      expect(second?.options.num_predict).toBe(2048); // the config's default cap when the request sets none
    } else {
      expect(first?.route).toBe('/v1/chat/completions');
    }
  });

  it('retries a busy server (503) and then answers', async () => {
    double.fail({ kind: 'busy' });
    const r = await kit.make(double.url).chat({ model: MODEL, messages: user('hello'), temperature: 0 });
    expect(r).toMatchObject({ text: PLAIN, attempts: 2 });
    expect(double.requests).toHaveLength(2);
  });

  it('retries 500 and 429', async () => {
    double.fail({ kind: 'status', status: 500, message: 'llama runner process has terminated' }, { kind: 'status', status: 429, message: 'too many requests' });
    const r = await kit.make(double.url).chat({ model: MODEL, messages: user('hello'), temperature: 0 });
    expect(r).toMatchObject({ text: PLAIN, attempts: 3 });
    expect(double.requests).toHaveLength(3);
  });

  it('does not retry a 400: LlmRequestError with the server message', async () => {
    double.fail({ kind: 'status', status: 400, message: 'invalid format: expected "json" or a JSON schema' });
    const err = await rejectionOf(kit.make(double.url).chat({ model: MODEL, messages: user('hello'), temperature: 0 }));
    expect(err).toBeInstanceOf(LlmRequestError);
    expect(err).toMatchObject({ status: 400, retryable: false, serverMessage: 'invalid format: expected "json" or a JSON schema' });
    expect(err.message).toContain('invalid format: expected "json" or a JSON schema');
    expect(double.requests).toHaveLength(1);
  });

  it('turns an unknown model into LlmModelNotFoundError after exactly one request, naming the model, the endpoint and what is installed', async () => {
    const err = await rejectionOf(kit.make(double.url).chat({ model: 'qwen2.5-coder:32b', messages: user('hello'), temperature: 0 }));
    expect(err).toBeInstanceOf(LlmModelNotFoundError);
    expect(err).toMatchObject({ models: ['qwen2.5-coder:32b'], available: INSTALLED, retryable: false });
    expect(err.message).toContain('"qwen2.5-coder:32b"');
    expect(err.message).toContain(kit.endpointOf(double.url));
    expect(err.message).toContain(INSTALLED.join(', '));
    if (kit.kind === 'ollama') expect(err.message).toContain('ollama pull qwen2.5-coder:32b');
    expect(double.requests).toHaveLength(1);
  });

  it('retries an error line in the middle of the stream', async () => {
    double.fail({ kind: 'stream-error', afterPieces: 2, message: 'an error was encountered while running the model' });
    const r = await kit.make(double.url).chat({ model: MODEL, messages: user('hello'), temperature: 0 });
    expect(r).toMatchObject({ text: PLAIN, attempts: 2 });
    expect(double.requests).toHaveLength(2);
  });

  it('retries a connection dropped before the answer and one dropped mid-stream', async () => {
    double.fail({ kind: 'drop', afterPieces: 0 }, { kind: 'drop', afterPieces: 3 });
    const r = await kit.make(double.url).chat({ model: MODEL, messages: user('hello'), temperature: 0 });
    expect(r).toMatchObject({ text: PLAIN, attempts: 3 });
    expect(double.requests.map((q) => q.piecesSent)).toEqual([0, 3, streamPieces(PLAIN).length]);
  });

  it('gives up after the configured attempts: LlmUnavailableError naming the endpoint, the attempts and the last error', async () => {
    double.fail({ kind: 'busy' }, { kind: 'status', status: 502, message: 'bad gateway' }, { kind: 'busy' });
    const err = await rejectionOf(kit.make(double.url).chat({ model: MODEL, messages: user('hello'), temperature: 0 }));
    expect(err).toBeInstanceOf(LlmUnavailableError);
    expect(err).toMatchObject({ attempts: 3, retryable: true });
    expect((err as LlmUnavailableError).lastError).toBeInstanceOf(LlmTransientError);
    expect(err.message).toContain(kit.endpointOf(double.url));
    expect(err.message).toContain('3 attempts');
    expect(err.message).toContain('HTTP 503');
    expect(err.message).toContain('server busy');
    expect(double.requests).toHaveLength(3);
  });

  it('retries a refused connection, then says the server cannot be reached', async () => {
    const gone = await startOllamaDouble();
    const url = gone.url;
    await gone.close();
    const err = await rejectionOf(kit.make(url, { retry: { attempts: 2 } }).chat({ model: MODEL, messages: user('hello'), temperature: 0 }));
    expect(err).toBeInstanceOf(LlmUnavailableError);
    expect(err.message).toContain('2 attempts');
    expect(err.message).toMatch(/ECONNREFUSED|Connection error|fetch failed/);
    expect(err.message).toContain(url);
  });

  it('aborts an attempt that never answers after timeoutMs, retries it, and answers', async () => {
    double.fail({ kind: 'hang' });
    const r = await kit.make(double.url, { timeoutMs: 3_000 }).chat({ model: MODEL, messages: user('hello'), temperature: 0 });
    expect(r).toMatchObject({ text: PLAIN, attempts: 2 });
    expect(double.requests).toHaveLength(2);
    await vi.waitFor(() => expect(double.requests[0]?.clientClosedEarly).toBe(true), { timeout: 10_000 });
  });

  it('times out a stream that stalls mid-way, and fails clearly when every attempt times out', async () => {
    double.fail({ kind: 'hang', afterPieces: 2 }, { kind: 'hang' });
    const started = performance.now();
    const err = await rejectionOf(kit.make(double.url, { timeoutMs: 400, retry: { attempts: 2 } }).chat({ model: MODEL, messages: user('hello'), temperature: 0 }));
    const elapsed = performance.now() - started;
    expect(err).toBeInstanceOf(LlmUnavailableError);
    expect((err as LlmUnavailableError).lastError).toBeInstanceOf(LlmTimeoutError);
    expect(err.message).toContain('2 attempts');
    expect(err.message).toContain('within 400 ms');
    expect(double.requests).toHaveLength(2);
    expect(elapsed).toBeGreaterThanOrEqual(700); // two timeouts really waited for
    expect(elapsed).toBeLessThan(30_000); // and did not wait for the server
  });

  it('stops reading at the end of the code block when stopWhen fires, and the server sees the client leave', async () => {
    const slow = await startDouble({ pieceDelayMs: 25 });
    try {
      const r = await kit.make(slow.url).chat({ model: MODEL, messages: user('code'), temperature: 0, stopWhen: completeCodeBlock });
      expect(r).toMatchObject({ stoppedEarly: true, truncated: false, attempts: 1, promptTokens: null });
      expect(r.text.trimEnd().endsWith('```')).toBe(true);
      expect(r.text).toContain(CODE_BLOCK.trimEnd());
      expect(r.text).not.toContain('ramble');
      expect(r.completionTokens).toBe(streamPieces(r.text).length);
      const seen = slow.requests[0];
      await vi.waitFor(() => expect(seen?.clientClosedEarly).toBe(true), { timeout: 10_000 });
      expect(seen?.piecesSent).toBeLessThan(streamPieces(RAMBLE).length);
    } finally {
      await slow.close();
    }
  });

  it('stops at a complete JSON object with completeJsonObject', async () => {
    const r = await kit.make(double.url).chat({ model: MODEL, messages: user('json'), temperature: 0, stopWhen: completeJsonObject });
    expect(r.stoppedEarly).toBe(true);
    expect(JSON.parse(r.text)).toEqual({ op: 'widen', note: 'a } in a string', layers: [1, 2] });
  });

  it('marks an answer cut by the server at the token cap as truncated', async () => {
    const r = await kit.make(double.url).chat({ model: MODEL, messages: user('ramble'), temperature: 0, maxTokens: 10 });
    expect(r).toMatchObject({ truncated: true, stoppedEarly: false, completionTokens: 10 });
    expect(r.text).toBe(streamPieces(RAMBLE).slice(0, 10).join(''));
  });

  it('cuts the stream itself at the token cap when the server ignores it', async () => {
    const deaf = await startDouble({ ignoreTokenLimit: true, pieceDelayMs: 5 });
    try {
      const r = await kit.make(deaf.url).chat({ model: MODEL, messages: user('ramble'), temperature: 0, maxTokens: 10 });
      expect(r).toMatchObject({ truncated: true, stoppedEarly: false, completionTokens: 10 });
      expect(r.text).toBe(streamPieces(RAMBLE).slice(0, 10).join(''));
      expect(deaf.requests[0]?.options.num_predict).toBe(10);
      await vi.waitFor(() => expect(deaf.requests[0]?.clientClosedEarly).toBe(true), { timeout: 10_000 });
    } finally {
      await deaf.close();
    }
  });

  it("does not retry the caller's abort, mid-stream or before the start", async () => {
    const slow = await startDouble({ pieceDelayMs: 30 });
    try {
      const controller = new AbortController();
      const err = await rejectionOf(
        kit.make(slow.url).chat({ model: MODEL, messages: user('ramble'), temperature: 0, signal: controller.signal, stopWhen: (t) => (t.length > 30 && controller.abort(), false) }),
      );
      expect(err).toBeInstanceOf(LlmAbortError);
      expect(err).toMatchObject({ name: 'AbortError', retryable: false });
      expect(slow.requests).toHaveLength(1);
      const before = await rejectionOf(kit.make(slow.url).chat({ model: MODEL, messages: user('hello'), temperature: 0, signal: AbortSignal.abort() }));
      expect(before).toBeInstanceOf(LlmAbortError);
      expect(slow.requests).toHaveLength(1);
    } finally {
      await slow.close();
    }
  });

  it("rethrows an error thrown by the caller's stopWhen as is, without retrying", async () => {
    const bug = new Error('bug in stopWhen');
    const err = await rejectionOf(kit.make(double.url).chat({ model: MODEL, messages: user('code'), temperature: 0, stopWhen: () => { throw bug; } }));
    expect(err).toBe(bug);
    expect(double.requests).toHaveLength(1);
  });

  it('checkModels passes for installed models (a bare name means :latest) and names the missing ones', async () => {
    const provider = kit.make(double.url);
    await expect(provider.checkModels([MODEL, 'llama3.2:3b'])).resolves.toBeUndefined();
    const err = await rejectionOf(provider.checkModels([MODEL, 'deepseek-coder', 'qwen2.5-coder:32b']));
    expect(err).toBeInstanceOf(LlmModelNotFoundError);
    expect(err).toMatchObject({ models: ['deepseek-coder', 'qwen2.5-coder:32b'], available: INSTALLED });
    expect(err.message).toContain('"deepseek-coder", "qwen2.5-coder:32b"');
    expect(err.message).toContain(kit.endpointOf(double.url));
    expect(err.message).toContain(INSTALLED.join(', '));
    const latest = await startDouble({ models: ['llama3'] });
    try {
      await expect(kit.make(latest.url).checkModels(['llama3', 'llama3:latest'])).resolves.toBeUndefined();
    } finally {
      await latest.close();
    }
  });

  it('checkModels on a server that is down fails with LlmUnavailableError', async () => {
    const gone = await startOllamaDouble();
    await gone.close();
    const err = await rejectionOf(kit.make(gone.url, { retry: { attempts: 2 } }).checkModels([MODEL]));
    expect(err).toBeInstanceOf(LlmUnavailableError);
    expect(err.message).toContain(gone.url);
  });
});
