import type { LlmProvider } from './chat-types.ts';
import { createOllamaProvider } from './ollama-provider.ts';
import { createOpenAiProvider } from './openai-provider.ts';
import { registerProviders, type ProviderConfigOf } from './register-providers.ts';
import type { ProviderDeps } from './with-retry.ts';

/** The providers this package ships: a new one is a new file and one line here. */
export const providers = registerProviders({
  ollama: createOllamaProvider,
  openai: createOpenAiProvider,
});

/** A provider's config with its `kind`: `{ kind: 'ollama', host, … }` or `{ kind: 'openai', baseUrl, … }`. */
export type ProviderConfig = ProviderConfigOf<{ ollama: typeof createOllamaProvider; openai: typeof createOpenAiProvider }>;

/** Builds the provider `config.kind` names; throws (zod) on an unknown kind or a config its schema rejects. */
export function createProvider(config: ProviderConfig, deps?: ProviderDeps): LlmProvider {
  return providers.create(config, deps);
}
