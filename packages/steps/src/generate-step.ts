import { GenerateResult } from '@nasfleet/contracts';
import type { CandidateRequest, Feedback, LlmCall } from '@nasfleet/contracts';
import { completeJsonObject } from '@nasfleet/llm';
import type { ChatMessage, ChatResult, LlmProvider } from '@nasfleet/llm';
import { IMPROVER_JSON_SCHEMA, parseImproverAnswer, renderRequest } from '@nasfleet/prompts';
import type { PromptSet } from '@nasfleet/prompts';
import type { SearchSpace } from './search-space.ts';

/** Who writes the candidates: the space's rule-based operator, or an LLM with rendered prompts. */
export type GeneratorSettings =
  | { kind: 'rule' }
  | {
      kind: 'llm';
      provider: LlmProvider;
      prompts: PromptSet;
      /** Writes the code (or cell): mutation, crossover, the feedback loop's generator. */
      generatorModel: string;
      /** The feedback loop's improver (default: the generator's model). */
      improverModel?: string;
      /** Cap on generated tokens per answer. */
      maxTokens?: number;
    };

/** The generate step: a candidate request → the answer to check (raw LLM text or a rule operator's artifact). */
export type GenerateStep = (request: CandidateRequest) => Promise<GenerateResult>;

const call = (role: LlmCall['role'], r: ChatResult): LlmCall => ({
  role, model: r.model, promptTokens: r.promptTokens, completionTokens: r.completionTokens, durationMs: r.durationMs,
  generationMs: r.generationMs ?? null, attempts: r.attempts, stoppedEarly: r.stoppedEarly, truncated: r.truncated,
});

/**
 * The generate step for one space. 'seed' hands back the initial network; 'sample' (random search)
 * draws from the space's rule operator, LLM or not. With an LLM, the request is rendered with the
 * prompt set; when the request has an improver, it runs first (JSON in the improver's schema, asked
 * for with `format`, parsed defensively: an unusable answer becomes the memory's `problem` and the
 * generator goes on without a suggestion), then the generator, whose stream stops once the space
 * says the answer is complete. The LLM's errors that are not the candidate's (model missing, server
 * unavailable after retries) are thrown: they stop the search, they are not a candidate's failure.
 */
export function createGenerateStep(space: SearchSpace, settings: GeneratorSettings): GenerateStep {
  return async (request) => {
    const { id } = request;
    if (request.operator === 'seed') return { id, answer: request.parents[0]?.artifact ?? null, feedback: null, calls: [] };
    if (settings.kind === 'rule' || request.operator === 'sample') {
      const made = await space.ruleOperator.apply(request);
      return GenerateResult.parse({ id, answer: made.artifact, ...(made.failure ? { failure: made.failure } : {}), feedback: made.feedback ?? null, calls: [] });
    }
    const { provider, prompts, generatorModel } = settings;
    const maxTokens = settings.maxTokens ?? 2048;
    const rendered = renderRequest(request, prompts, space.brief);
    const calls: LlmCall[] = [];
    const chat = (model: string, messages: ChatMessage[], extra: { format?: Record<string, unknown>; stopWhen: (t: string) => boolean }) =>
      provider.chat({ model, messages, temperature: request.temperature, seed: request.seed, maxTokens, ...extra });
    let feedback: Feedback | null = null;
    let suggestion: Feedback | null = null;
    if (rendered.improver) {
      const answer = await chat(settings.improverModel ?? generatorModel, rendered.improver, { format: IMPROVER_JSON_SCHEMA, stopWhen: completeJsonObject });
      calls.push(call('improver', answer));
      const parsed = parseImproverAnswer(answer.text);
      if (parsed.ok) feedback = suggestion = parsed.feedback;
      else feedback = { problem: `the improver's answer could not be used: ${parsed.message}`.slice(0, 2000), suggestion: '' };
    }
    const answer = await chat(generatorModel, rendered.generator(suggestion), { stopWhen: (t) => space.answerComplete(t) });
    calls.push(call('generator', answer));
    return GenerateResult.parse({ id, answer: answer.text, feedback, calls });
  };
}
