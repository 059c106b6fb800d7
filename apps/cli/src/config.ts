import { z } from 'zod';

/** The CLI's environment, read once here and passed down. */
const CliEnv = z.object({
  /** `DEBUG=nasfleet` (or a comma list holding it, or `*`): print the stack of an error, not only its line. */
  DEBUG: z.string().default(''),
});

/** What the environment configures: whether errors show their stacks. */
export interface CliConfig {
  debug: boolean;
}

/** Reads the CLI's environment variables (process.env by default). */
export function readCliConfig(env: Record<string, string | undefined> = process.env): CliConfig {
  const { DEBUG } = CliEnv.parse(env);
  return { debug: DEBUG.split(',').some((d) => d.trim() === 'nasfleet' || d.trim() === '*') };
}
