import { z } from 'zod';
import { PromptChoice } from '@nasfleet/contracts';

/** What the engine needs besides its config: the prompts, and the network evolution starts from. */
export const EngineSetup = z.object({
  prompts: z.array(PromptChoice).min(1),
  crossoverPrompt: PromptChoice,
  /** The initial network's artifact; required by strategies that start from it (llmatic, hybrid, feedback-memory). */
  initialArtifact: z.string().min(1).nullable(),
  /** sha256 of the prompt files the search runs with (@nasfleet/prompts), so its record says which prompts produced it. */
  promptSetHash: z.string().regex(/^[0-9a-f]{64}$/, 'a sha256 in hex').optional(),
});
export type EngineSetup = z.infer<typeof EngineSetup>;
