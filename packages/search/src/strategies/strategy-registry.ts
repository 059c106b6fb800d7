import { z } from 'zod';
import { formatZodError } from '@nasfleet/contracts';
import { DEFAULTABLE_SETTINGS, SearchConfig, withConfigDefaults } from '../engine/search-config.ts';
import type { SearchConfigInput } from '../engine/search-config.ts';
import { StrategyDefinitionSchema } from './strategy-definition.ts';
import type { StrategyDefinition } from './strategy-definition.ts';

/** A strategy name no registry entry answers to; the message lists the registered names. */
export class UnknownStrategyError extends Error {
  constructor(
    readonly strategy: string,
    readonly registered: readonly string[],
    hint = '',
  ) {
    super(`unknown strategy '${strategy}' (registered: ${registered.length ? registered.join(', ') : 'none'})${hint ? `: ${hint}` : ''}`);
    this.name = 'UnknownStrategyError';
  }
}

/**
 * Strategy name → definition. The engine makes its strategy through one of these, so a new strategy
 * is a definition registered here, not a case in the engine. Names keep registration order.
 * A frozen registry (such as `builtInStrategies`) refuses `register`: copy it with `defaultStrategies()`
 * or `new StrategyRegistry(registry.definitions())` and register on the copy.
 */
export class StrategyRegistry {
  private readonly byName = new Map<string, StrategyDefinition>();
  private isFrozen = false;

  constructor(definitions: Iterable<StrategyDefinition> = []) {
    for (const d of definitions) this.register(d);
  }

  /**
   * Adds a definition. Throws when it is malformed (the message names the field), when its name is
   * taken (a second strategy must not silently replace the first) or when the registry is frozen.
   */
  register(definition: StrategyDefinition): this {
    if (this.isFrozen) throw new Error(`cannot register strategy '${String(definition?.name)}': this registry is frozen (register on a copy: defaultStrategies())`);
    const checked = StrategyDefinitionSchema.safeParse(definition);
    if (!checked.success) {
      throw new Error(`invalid strategy definition '${String(definition?.name)}': ${formatZodError(checked.error, { separator: ', ' })}`);
    }
    const defaults = definition.configDefaults ? badDefaults(definition.configDefaults) : null;
    if (defaults) throw new Error(`invalid strategy definition '${definition.name}': configDefaults.${defaults}`);
    if (this.byName.has(definition.name)) throw new Error(`strategy '${definition.name}' is already registered`);
    // A copy: later changes to the caller's object cannot change what the engine makes.
    this.byName.set(definition.name, Object.freeze({ ...definition }));
    return this;
  }

  /** The definition registered as `name`; throws UnknownStrategyError listing the registered names. */
  get(name: string): StrategyDefinition {
    const definition = this.byName.get(name);
    if (!definition) throw new UnknownStrategyError(name, this.names());
    return definition;
  }

  /**
   * The config a search of this registry runs with: `input` with its strategy's `configDefaults` written
   * under it (a setting the input gives wins), parsed. Throws a ZodError naming the field when the input is
   * invalid as given, UnknownStrategyError when no strategy has its name.
   */
  resolveConfig(input: SearchConfigInput): SearchConfig {
    const given = SearchConfig.parse(input);
    const defaults = this.get(given.strategy).configDefaults;
    return defaults === undefined ? given : SearchConfig.parse(withConfigDefaults(input, defaults));
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  /** Registered names, in registration order. */
  names(): string[] {
    return [...this.byName.keys()];
  }

  /** Registered definitions, in registration order. */
  definitions(): StrategyDefinition[] {
    return [...this.byName.values()];
  }

  /** Refuses every later `register`; for registries shared as defaults. */
  freeze(): this {
    this.isFrozen = true;
    return this;
  }

  get frozen(): boolean {
    return this.isFrozen;
  }
}

/** What is wrong with a definition's config defaults ('llmatic.seeding: …'), or null: each section must be valid and hold only known settings. */
function badDefaults(defaults: Record<string, unknown>): string | null {
  const shape: Record<string, z.ZodType> = SearchConfig.shape;
  for (const [section, value] of Object.entries(defaults)) {
    if (!(DEFAULTABLE_SETTINGS as readonly string[]).includes(section)) return `${section}: not a setting a strategy may default (${DEFAULTABLE_SETTINGS.join(', ')})`;
    const checked = shape[section]!.safeParse(value);
    if (!checked.success) return checked.error.issues.map((i) => `${[section, ...i.path.map(String)].join('.')}: ${i.message}`).join(', ');
    const unknown = unknownKeys(value, checked.data);
    if (unknown) return `${section}.${unknown}: unknown setting`;
  }
  return null;
}

/** The first key path of `given` that parsing dropped (zod strips unknown keys). */
function unknownKeys(given: unknown, parsed: unknown, path = ''): string | null {
  if (typeof given !== 'object' || given === null || Array.isArray(given) || typeof parsed !== 'object' || parsed === null) return null;
  for (const [key, value] of Object.entries(given)) {
    const here = path ? `${path}.${key}` : key;
    if (!(key in parsed)) return here;
    const deeper = unknownKeys(value, (parsed as Record<string, unknown>)[key], here);
    if (deeper) return deeper;
  }
  return null;
}
