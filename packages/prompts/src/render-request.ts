import Mustache from 'mustache';
import type { CandidateRequest, Feedback } from '@nasfleet/contracts';
import type { PromptFile } from './load-prompts.ts';
import type { PromptSet } from './prompt-set.ts';
import { candidateView, feedbackView, memoryViews } from './prompt-view.ts';
import type { FitnessUnit } from './prompt-view.ts';
import type { RoleName, SpaceName } from './template-check.ts';

/** One message of a chat conversation, as both LLM providers take it. */
export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/** What the caller knows about the search space and task, in words the LLM reads. */
export interface SpaceBrief {
  space: SpaceName;
  /** A paragraph: dataset, input shape, classes, budget caps (see `describeTask`). */
  task: string;
  /** How an answer must look: the sandbox's CODE_CONTRACT, or NB201_ANSWER_CONTRACT. */
  answerContract: string;
  /** Unit of `outcome.fitness`: 'percent' (default: what both spaces tell the engine), or 'fraction' for a caller that scores in [0, 1]. */
  fitnessUnit?: FitnessUnit;
}

/** The conversations for one request. */
export interface RenderedRequest {
  /** The improver's conversation; null when the request has no improver step. */
  improver: ChatMessage[] | null;
  /** The conversation that yields the network, given the improver's feedback (null: none, or it failed). */
  generator(feedback: Feedback | null): ChatMessage[];
}

/** Raised for a request that needs no LLM or names a prompt the set lacks: a caller's bug, not the LLM's. */
export class RenderRequestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RenderRequestError';
  }
}

function promptFor(set: PromptSet, choice: { id: string; intent: string }): PromptFile {
  if (choice.id === set.crossover.id) return set.crossover;
  const found = set.mutations.find((p) => p.id === choice.id) ?? set.mutations.find((p) => p.intent === choice.intent);
  if (!found) throw new RenderRequestError(`prompt "${choice.id}" (intent ${choice.intent}) is not in the prompt set at ${set.dir}`);
  return found;
}

/** The prompt file the improver's intent names, else the set's 'improve' prompt (the generator's default instruction). */
function generatorPrompt(set: PromptSet, feedback: Feedback | null): PromptFile {
  const byIntent = (intent: string | undefined) => (intent === undefined ? undefined : set.mutations.find((p) => p.intent === intent));
  const found = byIntent(feedback?.intent) ?? byIntent('improve') ?? set.mutations[0];
  if (!found) throw new RenderRequestError(`the prompt set at ${set.dir} has no mutation prompts`);
  return found;
}

/** Renders with HTML escaping off (code is full of < > & and quotes); only this call is affected. */
function render(template: string, view: object): string {
  return Mustache.render(template, view, {}, { escape: (s: string) => s }).trim();
}

/**
 * The conversation(s) for one request. Every conversation is [system: the space's framing with the
 * task, user: the role's template], rendered from `set` with the request's candidates, memory and
 * instruction (see prompts/README.md for the placeholders). 'mutate' and 'crossover' have no
 * improver; 'improve' has one when `request.improver` is true, and its generator gets the
 * improver's feedback and the instruction of the intent it named. Throws `RenderRequestError` for
 * 'seed' and 'sample' requests (they need no LLM) and for a prompt the set does not have.
 */
export function renderRequest(request: CandidateRequest, set: PromptSet, brief: SpaceBrief): RenderedRequest {
  if (request.operator === 'seed' || request.operator === 'sample') {
    throw new RenderRequestError(`a '${request.operator}' request needs no LLM (it evaluates or samples an architecture directly); render only mutate, crossover and improve requests`);
  }
  const unit = brief.fitnessUnit ?? 'percent';
  const lang = brief.space === 'code' ? 'javascript' : 'text';
  const parents = request.parents.map((p, i) => candidateView(p, i + 1, lang, unit));
  const memory = memoryViews(request.memory, unit);
  const base = {
    space: brief.space,
    isCode: brief.space === 'code',
    isNb201: brief.space === 'nb201',
    task: brief.task,
    answerContract: brief.answerContract,
    parent: parents[0] ?? null,
    parents,
    parentCount: parents.length,
    current: parents[0] ?? null,
    reference: request.reference ? candidateView(request.reference, 1, lang, unit) : null,
    hasReference: request.reference !== null,
    memory,
    hasMemory: memory.length > 0,
    intents: set.mutations.map((p) => ({ id: p.id, intent: p.intent, text: p.text })),
    feedback: null,
    hasFeedback: false,
  };
  if (parents.length === 0) throw new RenderRequestError(`a '${request.operator}' request needs at least one parent (request ${request.id})`);
  const conversation = (role: RoleName, view: object): ChatMessage[] => [
    { role: 'system', content: render(set.templates.spaces[brief.space], { ...view, role }) },
    { role: 'user', content: render(set.templates.roles[role], { ...view, role }) },
  ];
  const withPrompt = (p: PromptFile) => ({ ...base, instruction: p.text, intent: p.intent, promptId: p.id });

  if (request.operator === 'mutate' || request.operator === 'crossover') {
    const prompt = request.operator === 'crossover' ? (request.prompt ? promptFor(set, request.prompt) : set.crossover) : request.prompt ? promptFor(set, request.prompt) : generatorPrompt(set, null);
    const messages = conversation(request.operator, withPrompt(prompt));
    return { improver: null, generator: () => messages.map((m) => ({ ...m })) };
  }
  return {
    improver: request.improver ? conversation('improver', { ...base, instruction: '', intent: '', promptId: '' }) : null,
    generator: (feedback) =>
      conversation('generator', { ...withPrompt(generatorPrompt(set, feedback)), feedback: feedbackView(feedback), hasFeedback: feedback !== null }),
  };
}
