import { createHash } from 'node:crypto';
import { MutationIntent } from '@nasfleet/contracts';
import type { CandidateRequest, Feedback, OperatorOutput } from '@nasfleet/contracts';
import { createNb201RuleOperator } from '@nasfleet/nb201';
import type { RecordedRequest } from '@nasfleet/ollama-double';
import { createCodeRuleOperator } from '@nasfleet/pipeline';
import { loadPromptSet } from '@nasfleet/prompts';
import type { PromptSet } from '@nasfleet/prompts';
import { brokenCellAnswer, brokenCodeAnswer, EXPECTED_CLASSES, hostileAnswer } from './broken-answers.ts';
import type { BrokenMode } from './broken-answers.ts';
import { readPrompt } from './prompt-reader.ts';
import type { ReadPrompt, ReadRole } from './prompt-reader.ts';

/** How the responder answers one request: like a cooperative LLM, or broken in one of the ways LLMs are. */
export type ResponderMode = 'cooperative' | BrokenMode;

/** The task the code space's rule operator edits for (the NB201 space needs none). */
export interface RuleResponderOptions {
  inputShape: [number, number, number];
  numClasses: number;
  maxParams?: number;
  maxFlops?: number;
  maxActivationBytes?: number;
  /** The prompt set the prompts were rendered from (default: the repository's). */
  prompts?: PromptSet;
}

/** What the responder made of one request and what it answered, for tests to check. */
export interface ResponderTurn {
  space: 'code' | 'nb201';
  role: ReadRole;
  mode: ResponderMode;
  /** The intent the prompt asked for (its prompt file's, or the improver's), null for crossover and the improver. */
  askedIntent: string | null;
  /** The intent the answer carried out (or, for the improver, suggested), when there is one. */
  intent: string | null;
  /** Failure classes the answer must end in, null for a cooperative answer (and a bad improver JSON). */
  expectedClasses: readonly string[] | null;
  seed: number;
  temperature: number;
  answer: string;
}

/** A Responder for the Ollama double that answers from the rule-based operators. */
export interface RuleResponder {
  (request: Pick<RecordedRequest, 'messages' | 'options' | 'format'>): Promise<string>;
  /** Queues modes, played one per request, in order; requests after them are answered cooperatively. */
  next(...modes: ResponderMode[]): void;
  readonly turns: ResponderTurn[];
}

/** The request's seed, else one derived from the conversation, so that an answer is reproducible either way. */
function seedOf(request: Pick<RecordedRequest, 'messages' | 'options'>): number {
  const seed = request.options.seed;
  if (typeof seed === 'number' && Number.isInteger(seed) && seed >= 0) return seed;
  return createHash('sha256').update(JSON.stringify(request.messages)).digest().readUInt32BE(0);
}

function temperatureOf(options: Record<string, unknown>): number {
  const t = options.temperature;
  // The operators read temperature as edit strength over [0.1, 1]; an LLM's range is wider.
  return typeof t === 'number' && Number.isFinite(t) ? Math.min(1, Math.max(0.1, t)) : 0.7;
}

/** The CandidateRequest the prompt was rendered from, as far as the rule operators need it. */
function rebuild(read: ReadPrompt, seed: number, temperature: number): { request: CandidateRequest; asked: string | null } {
  const base = { id: 'rule-responder', index: 0, generation: 0, strategy: 'rule-responder', temperature, seed, reference: null, improver: false };
  const memory = read.memory.length > 0 ? read.memory : null;
  if (read.role === 'crossover') return { request: { ...base, operator: 'crossover', parents: read.parents, prompt: { id: 'crossover', intent: 'crossover' }, memory }, asked: null };
  if (read.role === 'improver') return { request: { ...base, operator: 'improve', parents: read.parents, prompt: null, memory, reference: read.reference, improver: true }, asked: null };
  // mutate: the parent, by the prompt file's intent; generator: the reference (else the current attempt), by the improver's intent.
  const intent = (read.role === 'generator' ? read.feedbackIntent : null) ?? read.prompt?.intent ?? 'improve';
  const parent = read.role === 'generator' ? (read.reference ?? read.parents[0]!) : read.parents[0]!;
  const id = read.prompt?.intent === intent ? read.prompt.id : intent;
  return { request: { ...base, operator: 'mutate', parents: [parent], prompt: { id, intent }, memory }, asked: intent };
}

/**
 * A Responder for `startOllamaDouble` that answers like a cooperative LLM, from what the prompt
 * says: it reads a conversation rendered by `renderRequest` back (space, role, networks, memory,
 * the prompt file the instruction is, the improver's intent), rebuilds the request and applies the
 * real rule-based operator (code: createCodeRuleOperator with the task in `options`; NB201:
 * createNb201RuleOperator), seeded by the request's `options.seed` (else by the conversation) and
 * as bold as its `options.temperature`. It answers with prose and one ```javascript block (code),
 * prose and the arch string (NB201), or the improver's JSON {problem, suggestion, intent} (a failed
 * attempt → a suggestion that fixes it). When the operator cannot edit (a broken parent and no
 * reference) it answers a freshly sampled network, as a model would start over. `next(...modes)`
 * queues broken answers. Throws for a conversation renderRequest did not write.
 */
export function createRuleResponder(options: RuleResponderOptions): RuleResponder {
  const set = options.prompts ?? loadPromptSet();
  const { inputShape, numClasses, maxParams, maxFlops, maxActivationBytes } = options;
  const code = createCodeRuleOperator({ inputShape, numClasses, maxParams, maxFlops, maxActivationBytes });
  const nb201 = createNb201RuleOperator();
  const queue: ResponderMode[] = [];
  const turns: ResponderTurn[] = [];
  let hostileTurn = 0;

  const apply = async (space: ReadPrompt['space'], request: CandidateRequest): Promise<OperatorOutput> => {
    const operator = space === 'code' ? code : nb201;
    const out = await operator.apply(request);
    if (out.artifact !== null || request.operator === 'improve') return out;
    return operator.apply({ ...request, operator: 'sample', parents: [], prompt: null });
  };

  async function cooperative(read: ReadPrompt, request: CandidateRequest): Promise<{ answer: string; intent: string | null; artifact: string }> {
    const out = await apply(read.space, request);
    const feedback: Feedback | null = out.feedback ?? null;
    if (read.role === 'improver') {
      const current = read.parents[0]!.outcome;
      const intent = MutationIntent.safeParse(feedback?.intent).success ? feedback!.intent! : 'improve';
      const change = feedback?.suggestion ?? 'rewrite the network from the best one so far';
      const answer =
        current?.status === 'failed'
          ? { problem: `The current attempt failed with a ${current.failure.class} error: ${current.failure.message}`.slice(0, 2000), suggestion: `Fix the ${current.failure.class} error first: start from the reference network and ${change}`.slice(0, 2000), intent }
          : { problem: (feedback?.problem || 'the network has room to improve').slice(0, 2000), suggestion: change.slice(0, 2000), intent };
      return { answer: JSON.stringify(answer), intent, artifact: read.parents[0]!.artifact };
    }
    const artifact = out.artifact!.trimEnd();
    const what = feedback?.suggestion ? `I changed it as asked: ${feedback.suggestion}.` : read.role === 'crossover' ? 'I combined the strongest parts of the networks.' : 'I rewrote the network from scratch.';
    const answer = read.space === 'code' ? `${what}\n\n\`\`\`javascript\n${artifact}\n\`\`\`\n` : `${what} The new cell:\n\n${artifact}\n`;
    return { answer, intent: feedback?.intent ?? null, artifact };
  }

  const responder = async (recorded: Pick<RecordedRequest, 'messages' | 'options' | 'format'>): Promise<string> => {
    const mode = queue.shift() ?? 'cooperative';
    const read = readPrompt(recorded.messages, set, recorded.format !== null && recorded.format !== undefined);
    const seed = seedOf(recorded);
    const temperature = temperatureOf(recorded.options);
    const { request, asked } = rebuild(read, seed, temperature);
    const turn = (answer: string, intent: string | null, expectedClasses: readonly string[] | null): string => {
      turns.push({ space: read.space, role: read.role, mode, askedIntent: asked, intent, expectedClasses, seed, temperature, answer });
      return answer;
    };
    if (mode === 'hostile') {
      const hostile = hostileAnswer(hostileTurn++);
      return turn(hostile.answer, null, read.space === 'code' ? hostile.classes : ['invalid-artifact']);
    }
    if (mode === 'bad-json') return turn(brokenCodeAnswer('bad-json', '', seed), null, read.role === 'improver' ? null : read.space === 'code' ? ['extraction'] : ['invalid-artifact']);
    // Broken answers start from the cooperative one, so they look like a real attempt at this request.
    const done = await cooperative(read, request);
    if (mode === 'cooperative') return turn(done.answer, done.intent, null);
    if (read.space === 'nb201') return turn(brokenCellAnswer(mode, done.artifact), null, ['invalid-artifact']);
    return turn(brokenCodeAnswer(mode, done.artifact, seed), null, EXPECTED_CLASSES[mode]);
  };
  return Object.assign(responder, { next: (...modes: ResponderMode[]) => void queue.push(...modes), turns });
}
