import { z } from 'zod';
import { PromptChoice } from '@nasfleet/contracts';

/** What the engine needs besides its config: the prompts, and the network evolution starts from. */
export const EngineSetup = z.object({
  prompts: z.array(PromptChoice).min(1),
  crossoverPrompt: PromptChoice,
  /** The initial network's artifact; required by strategies that start from it (llmatic, hybrid, feedback-memory). */
  initialArtifact: z.string().min(1).nullable(),
});
export type EngineSetup = z.infer<typeof EngineSetup>;
