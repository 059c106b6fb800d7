import { createProvider } from '@nasfleet/llm';
import type { ChatResult, LlmProvider } from '@nasfleet/llm';

/** The LLM servers jobs name, one provider per server. */
export type ProviderCache = (kind: 'ollama' | 'openai', endpoint: string | null) => LlmProvider;

export interface ProviderCacheOptions {
  /** Limit on one request. */
  timeoutMs: number;
  /** Sent to OpenAI-compatible servers. */
  openAiApiKey: string | null;
  /** Called with every chat a provider finished (the worker's LLM metrics); not for failed ones. */
  onChat?: (result: ChatResult) => void;
}

/** The provider, with `onChat` told of each finished chat. */
function observed(provider: LlmProvider, onChat: (result: ChatResult) => void): LlmProvider {
  return {
    kind: provider.kind,
    endpoint: provider.endpoint,
    async chat(request) {
      const result = await provider.chat(request);
      onChat(result);
      return result;
    },
    checkModels: (models) => provider.checkModels(models),
  };
}

/**
 * Providers made on first use and kept per kind + endpoint (null: the provider's default host), so
 * the jobs of every search that uses one server share its client. `timeoutMs` bounds one request;
 * `openAiApiKey` is sent to OpenAI-compatible servers.
 */
export function createProviderCache(options: ProviderCacheOptions): ProviderCache {
  const made = new Map<string, LlmProvider>();
  return (kind, endpoint) => {
    const key = `${kind} ${endpoint ?? ''}`;
    let provider = made.get(key);
    if (!provider) {
      provider =
        kind === 'ollama'
          ? createProvider({ kind, timeoutMs: options.timeoutMs, ...(endpoint ? { host: endpoint } : {}) })
          : createProvider({ kind, timeoutMs: options.timeoutMs, ...(endpoint ? { baseUrl: endpoint } : {}), ...(options.openAiApiKey ? { apiKey: options.openAiApiKey } : {}) });
      if (options.onChat) provider = observed(provider, options.onChat);
      made.set(key, provider);
    }
    return provider;
  };
}
