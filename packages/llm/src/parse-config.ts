import { z } from 'zod';
import { formatZodError } from '@nasfleet/contracts';

/**
 * Parses a provider's config with its schema; a bad one throws an Error saying which provider and,
 * one line per issue, what is wrong (zod's raw issue list is unreadable in a CLI's one-line error).
 * The ZodError is the `cause`.
 */
export function parseConfig<S extends z.ZodType>(schema: S, input: unknown, what: string): z.output<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  throw new Error(`invalid ${what} config: ${formatZodError(parsed.error, { root: '(config)' })}`, { cause: parsed.error });
}
