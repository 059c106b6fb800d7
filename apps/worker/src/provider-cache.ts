import { createProvider } from '@nasfleet/llm';
import type { LlmProvider } from '@nasfleet/llm';

/** The LLM servers jobs name, one provider per server. */
export type ProviderCache = (kind: 'ollama' | 'openai', endpoint: string | null) => LlmProvider;

/**
 * Providers made on first use and kept per kind + endpoint (null: the provider's default host), so
 * the jobs of every search that uses one server share its client. `timeoutMs` bounds one request;
 * `openAiApiKey` is sent to OpenAI-compatible servers.
 */
export function createProviderCache(options: { timeoutMs: number; openAiApiKey: string | null }): ProviderCache {
  const made = new Map<string, LlmProvider>();
  return (kind, endpoint) => {
    const key = `${kind} ${endpoint ?? ''}`;
    let provider = made.get(key);
    if (!provider) {
      provider =
        kind === 'ollama'
          ? createProvider({ kind, timeoutMs: options.timeoutMs, ...(endpoint ? { host: endpoint } : {}) })
          : createProvider({ kind, timeoutMs: options.timeoutMs, ...(endpoint ? { baseUrl: endpoint } : {}), ...(options.openAiApiKey ? { apiKey: options.openAiApiKey } : {}) });
      made.set(key, provider);
    }
    return provider;
  };
}
