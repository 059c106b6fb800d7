import { z } from 'zod';

/** The CLI's environment, read once here and passed down. */
const CliEnv = z.object({
  /** `DEBUG=nasfleet` (or a comma list holding it, or `*`): print the stack of an error, not only its line. */
  DEBUG: z.string().default(''),
  /** The API key `--llm openai` sends (servers such as vLLM started with --api-key need it; Ollama ignores it). */
  OPENAI_API_KEY: z.string().optional(),
});

/** What the environment configures: whether errors show their stacks, the OpenAI-compatible server's key. */
export interface CliConfig {
  debug: boolean;
  openAiApiKey: string | null;
}

/** Reads the CLI's environment variables (process.env by default). */
export function readCliConfig(env: Record<string, string | undefined> = process.env): CliConfig {
  const { DEBUG, OPENAI_API_KEY } = CliEnv.parse(env);
  return { debug: DEBUG.split(',').some((d) => d.trim() === 'nasfleet' || d.trim() === '*'), openAiApiKey: OPENAI_API_KEY || null };
}
