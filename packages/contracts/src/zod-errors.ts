import type { z } from 'zod';

/**
 * One line per problem, `path: message`, joined by `; ` — the one way every package words a zod
 * error for a person or an LLM. `root` names the whole value when a problem has no path.
 */
export function formatZodError(error: z.ZodError, options: { root?: string; max?: number; separator?: string } = {}): string {
  const { root = '(root)', max = 20, separator = '; ' } = options;
  const lines = error.issues.slice(0, max).map((i) => `${i.path.map(String).join('.') || root}: ${i.message}`);
  if (error.issues.length > max) lines.push(`… and ${error.issues.length - max} more`);
  return lines.join(separator);
}
