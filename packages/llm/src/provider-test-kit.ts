/**
 * What the provider tests share: both providers built the same way against an Ollama double, and
 * answers whose length and shape the tests know. Not exported from the package.
 */
import { startOllamaDouble, type OllamaDouble, type OllamaDoubleOptions } from '@nasfleet/ollama-double';
import type { LlmProvider } from './chat-types.ts';
import { createOllamaProvider } from './ollama-provider.ts';
import { createOpenAiProvider } from './openai-provider.ts';

export const MODEL = 'qwen2.5-coder:7b';
export const INSTALLED = [MODEL, 'llama3.2:3b'];

/** A code block as a coder model writes it, then the chatter it adds (which early stop must cut). */
export const CODE_BLOCK = '```javascript\nfunction buildModel(tf) {\n  return tf.sequential();\n}\n```\n';
export const RAMBLE = Array.from({ length: 120 }, (_, i) => `ramble${i}`).join(' ');
export const CODE_THEN_RAMBLE = `Here is the network:\n${CODE_BLOCK}\nThis model ${RAMBLE}`;
export const PLAIN = 'A small answer of seven words here.';

/** Chooses the answer from the last message: 'code' → CODE_THEN_RAMBLE, 'ramble' → RAMBLE, 'json' → a JSON object then chatter, else PLAIN. */
export function respond(r: { messages: { content: string }[] }): string {
  const last = r.messages.at(-1)?.content;
  if (last === 'code') return CODE_THEN_RAMBLE;
  if (last === 'ramble') return RAMBLE;
  if (last === 'json') return `{"op": "widen", "note": "a } in a string", "layers": [1, 2]} and then ${RAMBLE}`;
  return PLAIN;
}

/** Retries fast enough for tests, really sleeping (tiny delays). */
export const FAST_RETRY = { attempts: 3, baseDelayMs: 5, maxDelayMs: 20 };

export interface ProviderOverrides {
  timeoutMs?: number;
  retry?: { attempts?: number; baseDelayMs?: number; maxDelayMs?: number };
}

/** One way to build each provider for a double's URL, so one suite runs against both. */
export interface ProviderKit {
  kind: 'ollama' | 'openai';
  make(url: string, overrides?: ProviderOverrides): LlmProvider;
  /** The endpoint the provider names in its messages. */
  endpointOf(url: string): string;
}

export const KITS: ProviderKit[] = [
  {
    kind: 'ollama',
    make: (url, o = {}) => createOllamaProvider({ host: url, timeoutMs: o.timeoutMs ?? 60_000, retry: { ...FAST_RETRY, ...o.retry }, numCtx: 4096, keepAlive: '45m' }),
    endpointOf: (url) => url,
  },
  {
    kind: 'openai',
    make: (url, o = {}) => createOpenAiProvider({ baseUrl: `${url}/v1`, timeoutMs: o.timeoutMs ?? 60_000, retry: { ...FAST_RETRY, ...o.retry } }),
    endpointOf: (url) => `${url}/v1`,
  },
];

/** Starts a double with the test answers and INSTALLED models. */
export function startDouble(options: OllamaDoubleOptions = {}): Promise<OllamaDouble> {
  return startOllamaDouble({ models: INSTALLED, respond, ...options });
}

/** The rejection of `p` (fails the test if it resolves). */
export async function rejectionOf(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a rejection, got a result');
}
