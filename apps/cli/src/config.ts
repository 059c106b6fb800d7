import { z } from 'zod';

/**
 * The CLI's environment, read once here and passed down; each variable's description is its entry
 * in docs/configuration.md (`npm run config-docs`).
 */
export const CliEnv = z.object({
  DEBUG: z.string().default('').describe('`nasfleet` (or a comma list holding it, or `*`): print the stack of an error, not only its line.'),
  OPENAI_API_KEY: z.string().optional().describe('The API key `--llm openai` sends (servers such as vLLM started with --api-key need it; Ollama ignores it).'),
  NASFLEET_URL: z.string().optional().describe('The fleet commands (`nasfleet submit|list|show|follow|cancel|export`): the orchestrator\'s API, e.g. http://head:8080 (`--url` wins).'),
  NASFLEET_TOKEN: z.string().optional().describe('The fleet commands: the orchestrator\'s API_TOKEN, sent as a bearer token (`--token` wins; the environment keeps it out of `ps` and shell history).'),
});

/** What the environment configures: whether errors show their stacks, the OpenAI-compatible server's key, the fleet's API. */
export interface CliConfig {
  debug: boolean;
  openAiApiKey: string | null;
  /** NASFLEET_URL and NASFLEET_TOKEN as given (checked where they are used, so the message can name them); null when unset or empty. */
  fleetUrl: string | null;
  fleetToken: string | null;
}

/** Reads the CLI's environment variables (process.env by default). */
export function readCliConfig(env: Record<string, string | undefined> = process.env): CliConfig {
  const { DEBUG, OPENAI_API_KEY, NASFLEET_URL, NASFLEET_TOKEN } = CliEnv.parse(env);
  return {
    debug: DEBUG.split(',').some((d) => d.trim() === 'nasfleet' || d.trim() === '*'),
    openAiApiKey: OPENAI_API_KEY || null,
    fleetUrl: NASFLEET_URL || null,
    fleetToken: NASFLEET_TOKEN || null,
  };
}
