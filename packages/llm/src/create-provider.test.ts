import { describe, expect, it } from 'vitest';
import type { LlmProvider } from './chat-types.ts';
import { createProvider, providers } from './create-provider.ts';
import { registerProviders } from './register-providers.ts';

describe('the provider registry', () => {
  it('builds each registered kind from its config, with defaults', () => {
    expect(providers.kinds).toEqual(['ollama', 'openai']);
    expect(createProvider({ kind: 'ollama' })).toMatchObject({ kind: 'ollama', endpoint: 'http://127.0.0.1:11434' });
    expect(createProvider({ kind: 'openai', baseUrl: 'http://gpu-box:8000/v1' })).toMatchObject({ kind: 'openai', endpoint: 'http://gpu-box:8000/v1' });
  });

  it('rejects an unknown kind and a config its schema refuses, in readable words', () => {
    expect(() => createProvider({ kind: 'vllm' } as never)).toThrow(/invalid provider config: .*kind.*"ollama"\|"openai"/);
    expect(() => createProvider({ kind: 'ollama', hots: 'x' } as never)).toThrow(/invalid Ollama provider config: .*hots/);
    expect(() => createProvider({ kind: 'openai', retry: { attempts: 0 } })).toThrow(/invalid OpenAI-compatible provider config: .*retry\.attempts/);
  });

  it('takes a new provider as one more entry in a map, and validates the map', () => {
    const fake = (config: { name?: string }): LlmProvider => ({
      kind: 'openai',
      endpoint: `fake:${config.name ?? 'default'}`,
      chat: () => Promise.reject(new Error('not used')),
      checkModels: () => Promise.resolve(),
    });
    const registry = registerProviders({ fake });
    expect(registry.create({ kind: 'fake', name: 'x' }).endpoint).toBe('fake:x');
    expect(() => registerProviders({ 'Bad Name': fake })).toThrow(/lowercase/);
    expect(() => registerProviders({ broken: 'not a function' as never })).toThrow(/factory is a function/);
    expect(() => registerProviders({})).toThrow(/no providers/);
  });
});
