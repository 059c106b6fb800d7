import { createProvider } from '@nasfleet/llm';
import { loadPromptSet, promptChoices } from '@nasfleet/prompts';
import { SearchEngine } from '@nasfleet/search';
import type { EngineSnapshot, SearchConfigInput } from '@nasfleet/search';
import { builtInSpaces } from '@nasfleet/spaces';
import { createGenerateStep, runLocalSearch } from '@nasfleet/steps';
import type { SpaceRef } from '@nasfleet/contracts';

/**
 * The reference for a fleet search through an Ollama server: the same search run by runLocalSearch
 * in this process (batch 1, this checkout's prompt set), its candidates written by an Ollama provider
 * on `host` as an LLM worker makes one (default settings, the search's model and token cap). The
 * local twin of localSnapshot (apps/orchestrator/src/testing/local-run.ts), which uses the rule operator.
 */
export async function localOllamaSnapshot(
  space: SpaceRef, config: Omit<SearchConfigInput, 'networkArchive'>, evaluations: number, llm: { host: string; generatorModel: string; maxTokens: number },
): Promise<EngineSnapshot> {
  const made = await builtInSpaces().create(space.name, space.options);
  const prompts = loadPromptSet();
  const engine = SearchEngine.create(
    { ...config, networkArchive: { bounds: made.descriptorBounds } },
    { prompts: promptChoices(prompts.mutations), crossoverPrompt: prompts.crossover, initialArtifact: made.initialArtifact, promptSetHash: prompts.hash },
  );
  const provider = createProvider({ kind: 'ollama', host: llm.host });
  const generate = createGenerateStep(made, { kind: 'llm', provider, prompts, generatorModel: llm.generatorModel, maxTokens: llm.maxTokens });
  await runLocalSearch({ engine, space: made, generate, evaluations, batch: 1 });
  await made.close?.();
  return engine.snapshot();
}

/**
 * The keys of a candidate's metrics that measure how the run went, not what the search did: the LLM
 * calls' wall time and the tries the provider needed (llmAttempts). Every LLM call's llmMs differs from
 * run to run, and a retried call counts its tries, so two runs through a real LLM protocol can agree on
 * everything else, byte for byte, but never on these.
 */
export const RUN_MEASURES = ['llmMs', 'llmAttempts'] as const;

/** A snapshot as JSON text with RUN_MEASURES' values replaced by 0 (the keys stay, so a missing one still shows). */
export function withoutRunMeasures(snapshot: unknown): string {
  return JSON.stringify(snapshot, (key, value: unknown) => ((RUN_MEASURES as readonly string[]).includes(key) && typeof value === 'number' ? 0 : value));
}
