import { promptChoices } from '@nasfleet/prompts';
import type { PromptSet } from '@nasfleet/prompts';
import { SearchEngine } from '@nasfleet/search';
import type { SearchConfigInput } from '@nasfleet/search';
import type { SearchSpace } from '@nasfleet/steps';
import type { SearchSpec } from './search-spec.ts';

/**
 * A fresh engine for a search, as a local run makes it: the spec's config with the network archive's
 * bounds defaulting to the space's descriptor bounds, the prompt set's choices, its crossover prompt
 * and hash, and the space's initial network. Throws (a ZodError naming the field, an unknown
 * strategy) when the config is unusable.
 */
export function createEngine(spec: SearchSpec, space: SearchSpace, prompts: PromptSet): SearchEngine {
  const networkArchive = { bounds: space.descriptorBounds, ...spec.config.networkArchive };
  return SearchEngine.create(
    { ...spec.config, networkArchive } as SearchConfigInput,
    { prompts: promptChoices(prompts.mutations), crossoverPrompt: prompts.crossover, initialArtifact: space.initialArtifact, promptSetHash: prompts.hash },
  );
}
