import { createProvider } from '@nasfleet/llm';
import { loadPromptSet } from '@nasfleet/prompts';
import type { PromptSet } from '@nasfleet/prompts';
import type { GeneratorSettings } from '@nasfleet/steps';
import { DEFAULT_MODEL } from './cli-args.ts';
import type { CliOptions } from './cli-args.ts';

/** Which LLM a search ran with, and the prompt set, as its report records them. */
export interface LlmChoice {
  provider: 'rule' | 'ollama' | 'openai';
  endpoint: string | null;
  model: string | null;
  improverModel: string | null;
  /** sha256 of every prompt file the search ran with (see prompts/README.md). */
  promptSetHash: string;
  promptsDir: string;
}

/**
 * The generator a search runs with, from the command line: the rule-based operators, or a provider
 * whose models are checked before the search starts (a missing model is one clear error, not a
 * failure at the first candidate). Loads the prompt set either way: its intents steer the rule
 * operators, its hash goes in the report.
 */
export async function setUpGenerator(options: CliOptions, env: { openAiApiKey: string | null }): Promise<{ settings: GeneratorSettings; choice: LlmChoice; prompts: PromptSet }> {
  const prompts = loadPromptSet(options.promptsDir);
  const base = { promptSetHash: prompts.hash, promptsDir: prompts.dir };
  if (options.llm === 'rule') return { settings: { kind: 'rule' }, choice: { provider: 'rule', endpoint: null, model: null, improverModel: null, ...base }, prompts };
  const model = options.model ?? DEFAULT_MODEL;
  const improverModel = options.improverModel ?? model;
  const timeoutMs = Math.round(options.llmTimeout * 1000);
  const provider =
    options.llm === 'ollama'
      ? createProvider({ kind: 'ollama', timeoutMs, ...(options.ollamaHost ? { host: options.ollamaHost } : {}) })
      : createProvider({ kind: 'openai', timeoutMs, ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}), ...(env.openAiApiKey ? { apiKey: env.openAiApiKey } : {}) });
  await provider.checkModels([...new Set([model, improverModel])]);
  return {
    settings: { kind: 'llm', provider, prompts, generatorModel: model, improverModel, maxTokens: options.maxTokens },
    choice: { provider: options.llm, endpoint: provider.endpoint, model, improverModel, ...base },
    prompts,
  };
}

/** Totals of the LLM calls of a search, summed from its candidates' metrics. */
export interface LlmUsage {
  calls: number;
  promptTokens: number;
  completionTokens: number;
  seconds: number;
  /** Answers the token cap cut off. */
  truncated: number;
}

/** A running total of LLM usage, fed each candidate's metrics. */
export function llmUsageCounter(): { add(metrics: Record<string, number> | undefined): void; total(): LlmUsage } {
  const usage: LlmUsage = { calls: 0, promptTokens: 0, completionTokens: 0, seconds: 0, truncated: 0 };
  return {
    add(m) {
      if (!m?.llmCalls) return;
      usage.calls += m.llmCalls;
      usage.promptTokens += m.promptTokens ?? 0;
      usage.completionTokens += m.completionTokens ?? 0;
      usage.seconds += (m.llmMs ?? 0) / 1000;
      usage.truncated += m.llmTruncated ?? 0;
    },
    total: () => ({ ...usage }),
  };
}

/** How the report's first line names who wrote the candidates. */
export function describeGenerator(choice: LlmChoice): string {
  if (choice.provider === 'rule') return 'rule-based operator (no LLM)';
  const improver = choice.improverModel && choice.improverModel !== choice.model ? `, improver ${choice.improverModel}` : '';
  return `LLM ${choice.model}${improver} (${choice.provider} at ${choice.endpoint})`;
}

/** One line of LLM totals for a text report. */
export function formatLlmUsage(u: LlmUsage): string {
  return `LLM: ${u.calls} calls, ${u.promptTokens} prompt + ${u.completionTokens} generated tokens, ${u.seconds.toFixed(1)} s${u.truncated ? `, ${u.truncated} answers cut at the token cap` : ''}`;
}
