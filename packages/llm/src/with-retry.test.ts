import { describe, expect, it } from 'vitest';
import { LlmAbortError, LlmRequestError, LlmTransientError, LlmUnavailableError } from './llm-errors.ts';
import { RetryConfig, backoffDelay, cryptoRandom, withRetry, type Sleep } from './with-retry.ts';

const transient = (): LlmTransientError => new LlmTransientError('status', 503, 'server busy', 'http://h', 'ollama');
const retry = RetryConfig.parse({ attempts: 4, baseDelayMs: 100, maxDelayMs: 250 });

describe('backoffDelay', () => {
  it('is full jitter below a doubling ceiling capped at maxDelayMs', () => {
    expect([1, 2, 3, 4].map((n) => backoffDelay(n, retry, () => 0.999))).toEqual([99, 199, 249, 249]);
    expect(backoffDelay(3, retry, () => 0)).toBe(0);
  });

  it('defaults to 5 attempts, 500 ms base, 30 s cap', () => {
    expect(RetryConfig.parse({})).toEqual({ attempts: 5, baseDelayMs: 500, maxDelayMs: 30_000 });
  });

  it('draws its default jitter from node:crypto, in [0, 1)', () => {
    const draws = Array.from({ length: 200 }, cryptoRandom);
    expect(draws.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(new Set(draws).size).toBeGreaterThan(190);
  });
});

describe('withRetry', () => {
  it('retries retryable errors with the back-off, and reports the attempts', async () => {
    const waits: number[] = [];
    const sleep: Sleep = async (ms) => void waits.push(ms);
    let calls = 0;
    const r = await withRetry(async () => {
      calls += 1;
      if (calls < 3) throw transient();
      return 'ok';
    }, { retry, endpoint: 'http://h', sleep, random: () => 0.5 });
    expect(r).toEqual({ value: 'ok', attempts: 3 });
    expect(waits).toEqual([50, 100]);
  });

  it('really sleeps by default (tiny delays)', async () => {
    let calls = 0;
    const r = await withRetry(async () => {
      calls += 1;
      if (calls < 3) throw transient();
      return calls;
    }, { retry: RetryConfig.parse({ baseDelayMs: 5 }), endpoint: 'http://h' });
    expect(r).toEqual({ value: 3, attempts: 3 });
  });

  it('throws LlmUnavailableError with the last error when the attempts are spent', async () => {
    const err = await withRetry(() => Promise.reject(transient()), { retry, endpoint: 'http://h', sleep: async () => {} }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LlmUnavailableError);
    expect(err).toMatchObject({ attempts: 4, endpoint: 'http://h' });
    expect((err as Error).message).toBe('the LLM server at http://h is unavailable: 4 attempts failed; the last: HTTP 503 from the Ollama server at http://h: server busy');
  });

  it('rethrows non-retryable and foreign errors at once', async () => {
    let calls = 0;
    const bad = new LlmRequestError(400, 'bad', 'http://h', 'ollama');
    await expect(withRetry(() => (calls++, Promise.reject(bad)), { retry, endpoint: 'http://h' })).rejects.toBe(bad);
    const bug = new TypeError('x is undefined');
    await expect(withRetry(() => (calls++, Promise.reject(bug)), { retry, endpoint: 'http://h' })).rejects.toBe(bug);
    expect(calls).toBe(2);
  });

  it("stops with LlmAbortError when the caller's signal aborts during a back-off", async () => {
    const controller = new AbortController();
    let calls = 0;
    const p = withRetry(() => {
      calls += 1;
      setTimeout(() => controller.abort(), 20);
      return Promise.reject(transient());
    }, { retry: RetryConfig.parse({ baseDelayMs: 60_000, maxDelayMs: 60_000 }), endpoint: 'http://h', signal: controller.signal, random: () => 0.99 });
    const err = await p.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LlmAbortError);
    expect(err).toMatchObject({ name: 'AbortError', retryable: false });
    expect(calls).toBe(1);
  });
});
