import { loadPromptSet, promptChoices } from '@nasfleet/prompts';
import { SearchEngine } from '@nasfleet/search';
import type { EngineSnapshot, SearchConfigInput } from '@nasfleet/search';
import { builtInSpaces } from '@nasfleet/spaces';
import { createGenerateStep, runLocalSearch } from '@nasfleet/steps';
import type { SpaceRef } from '@nasfleet/contracts';

/** The reference: the same search run by runLocalSearch in this process (batch 1, the rule operator, this checkout's prompt set). */
export async function localSnapshot(space: SpaceRef, config: Omit<SearchConfigInput, 'networkArchive'>, evaluations: number): Promise<EngineSnapshot> {
  const made = await builtInSpaces().create(space.name, space.options);
  const prompts = loadPromptSet();
  const engine = SearchEngine.create(
    { ...config, networkArchive: { bounds: made.descriptorBounds } },
    { prompts: promptChoices(prompts.mutations), crossoverPrompt: prompts.crossover, initialArtifact: made.initialArtifact, promptSetHash: prompts.hash },
  );
  await runLocalSearch({ engine, space: made, generate: createGenerateStep(made, { kind: 'rule' }), evaluations, batch: 1 });
  await made.close?.();
  return engine.snapshot();
}
