import { randomInt } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { z } from 'zod';
import { LlmAbortError, LlmError, LlmUnavailableError } from './llm-errors.ts';

/** How a provider retries transient failures; the same for every provider, so behaviour is uniform. */
export const RetryConfig = z.strictObject({
  // Requests in all, the first included (1: no retry).
  attempts: z.number().int().min(1).default(5),
  // Back-off ceiling before the first retry; it doubles with each further one.
  baseDelayMs: z.number().min(0).default(500),
  // Cap on any one back-off, however many retries came before.
  maxDelayMs: z.number().min(0).default(30_000),
});
/** A parsed RetryConfig (every field present). */
export type RetryConfig = z.output<typeof RetryConfig>;

/** Waits `ms`; rejects when `signal` aborts. */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/** What tests (or a deterministic run) may inject into a provider instead of real time and randomness. */
export interface ProviderDeps {
  sleep?: Sleep;
  /** Uniform in [0, 1): the jitter of the back-off. */
  random?: () => number;
}

/** The default Sleep: a real timer that an abort cancels. */
export const realSleep: Sleep = (ms, signal) => delay(ms, undefined, signal ? { signal } : {});

const RANDOM_RANGE = 2 ** 47; // randomInt needs max - min < 2^48
/** The default jitter source, from node:crypto (the lint rules ban Math.random; nothing here needs a seed). */
export const cryptoRandom = (): number => randomInt(0, RANDOM_RANGE) / RANDOM_RANGE;

/**
 * The wait before retry number `retry` (1 = the first retry): "full jitter", uniform in
 * [0, min(maxDelayMs, baseDelayMs · 2^(retry−1))), so that many clients a busy server turned away
 * do not all come back at the same moment.
 */
export function backoffDelay(retry: number, config: RetryConfig, random: () => number): number {
  const ceiling = Math.min(config.maxDelayMs, config.baseDelayMs * 2 ** (retry - 1));
  return Math.floor(random() * ceiling);
}

/** Options of one withRetry call. */
export interface WithRetryOptions extends ProviderDeps {
  retry: RetryConfig;
  /** Named in LlmUnavailableError and LlmAbortError. */
  endpoint: string;
  /** The caller's signal: checked before each attempt and during each back-off. */
  signal?: AbortSignal | undefined;
}

/**
 * Runs `attempt` (given its 1-based number) until it succeeds, retrying LlmErrors whose `retryable`
 * is true after a back-off. A non-retryable LlmError, and any other error (a bug, a caller's
 * callback), is rethrown at once. When the attempts are spent, throws LlmUnavailableError with the
 * last error; when the caller's signal aborts, LlmAbortError.
 */
export async function withRetry<T>(attempt: (n: number) => Promise<T>, options: WithRetryOptions): Promise<{ value: T; attempts: number }> {
  const sleep = options.sleep ?? realSleep;
  const random = options.random ?? cryptoRandom;
  const { signal, endpoint, retry } = options;
  for (let n = 1; ; n += 1) {
    if (signal?.aborted) throw new LlmAbortError(endpoint, signal.reason);
    try {
      return { value: await attempt(n), attempts: n };
    } catch (e) {
      if (!(e instanceof LlmError) || !e.retryable) throw e;
      if (n >= retry.attempts) throw new LlmUnavailableError(n, e, endpoint);
    }
    try {
      await sleep(backoffDelay(n, retry, random), signal);
    } catch (e) {
      if (signal?.aborted) throw new LlmAbortError(endpoint, signal.reason);
      throw e;
    }
  }
}
