import { z } from 'zod';
import type { LlmProvider } from './chat-types.ts';
import { parseConfig } from './parse-config.ts';
import type { ProviderDeps } from './with-retry.ts';

/**
 * Builds a provider from its own config (which it validates with its own zod schema, rejecting
 * unknown keys) and optional injected time and randomness.
 */
// `never` in the parameter: any factory, whatever its config type, fits (parameters are contravariant).
export type ProviderFactory = (config: never, deps?: ProviderDeps) => LlmProvider;

/** The config `create` accepts: `kind` names a registered factory, the other fields are that factory's config. */
export type ProviderConfigOf<M extends Record<string, ProviderFactory>> = {
  [K in keyof M & string]: { kind: K } & NonNullable<Parameters<M[K]>[0]>;
}[keyof M & string];

/** Providers by name, and the one way to build them from config. */
export interface ProviderRegistry<M extends Record<string, ProviderFactory>> {
  /** The registered names, in registration order. */
  readonly kinds: readonly (keyof M & string)[];
  /** Builds the provider `config.kind` names from the rest of `config`; throws (zod) on an unknown kind or a bad config. */
  create(config: ProviderConfigOf<M>, deps?: ProviderDeps): LlmProvider;
}

const FactoryMap = z.record(
  z.string().regex(/^[a-z][a-z0-9-]*$/, 'a provider name is lowercase letters, digits and dashes'),
  z.custom<ProviderFactory>((v) => typeof v === 'function', 'a provider factory is a function (config, deps?) => LlmProvider'),
);

/**
 * Validates a name → factory map and returns the registry over it. Adding a provider is a new file
 * with its factory and one entry in the map given here; nothing else in the system switches on the
 * provider's kind.
 */
export function registerProviders<M extends Record<string, ProviderFactory>>(factories: M): ProviderRegistry<M> {
  FactoryMap.parse(factories);
  const kinds = Object.keys(factories) as (keyof M & string)[];
  if (kinds.length === 0) throw new Error('registerProviders: no providers given');
  const Kind = z.looseObject({ kind: z.enum(kinds as [string, ...string[]]) });
  return {
    kinds,
    create(config, deps) {
      const { kind, ...rest } = parseConfig(Kind, config, 'provider');
      const factory = factories[kind] as unknown as (config: unknown, deps?: ProviderDeps) => LlmProvider;
      return factory(rest, deps);
    },
  };
}
