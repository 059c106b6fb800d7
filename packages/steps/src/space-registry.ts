import { z } from 'zod';
import { formatZodError } from '@nasfleet/contracts';
import type { SearchSpace } from './search-space.ts';

/** How a space is made from the options a search names (an HTTP body, CLI flags). */
export interface SpaceDefinition<Options = unknown> {
  name: string;
  /** One line for listings and error messages. */
  description: string;
  /** The options' schema; defaults live here. */
  options: z.ZodType<Options>;
  create(options: Options): Promise<SearchSpace>;
}

/** A space name or options that cannot be used; the message says which and what is allowed. */
export class SpaceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SpaceError';
  }
}

const SpaceName = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'a space name is lower-case letters, digits and dashes');

/** A name → space-definition map. A new space registers itself; nothing switches on names. */
export class SpaceRegistry {
  private readonly spaces = new Map<string, SpaceDefinition<unknown>>();

  /** Adds a space; throws SpaceError for an invalid or already registered name. */
  register<O>(definition: SpaceDefinition<O>): this {
    const name = SpaceName.safeParse(definition.name);
    if (!name.success) throw new SpaceError(`cannot register space "${definition.name}": ${formatZodError(name.error, { root: 'name' })}`);
    if (this.spaces.has(definition.name)) throw new SpaceError(`space "${definition.name}" is already registered`);
    this.spaces.set(definition.name, definition as SpaceDefinition<unknown>);
    return this;
  }

  names(): string[] {
    return [...this.spaces.keys()].sort();
  }

  get(name: string): SpaceDefinition<unknown> {
    const found = this.spaces.get(name);
    if (!found) throw new SpaceError(`unknown search space "${name}"; registered: ${this.names().join(', ') || 'none'}`);
    return found;
  }

  /** Checks the options against the space's schema, then makes the space. */
  async create(name: string, options: unknown = {}): Promise<SearchSpace> {
    const definition = this.get(name);
    const parsed = definition.options.safeParse(options);
    if (!parsed.success) throw new SpaceError(`options of space "${name}" are invalid: ${formatZodError(parsed.error)}`);
    return definition.create(parsed.data);
  }
}
