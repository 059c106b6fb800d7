import { z } from 'zod';

/**
 * The contracts of the ask/tell engine. Requests and results cross Redis queues, so both
 * sides parse them with these schemas; the types are derived from the schemas.
 */

/** Why a candidate produced no fitness. A result of the candidate, never a reason to retry. */
export const FailureClass = z.enum([
  'extraction', // no code could be found in the LLM's answer
  'too-large', // the answer or its code is over the size caps, or too large to compile in the sandbox
  'syntax', // the code does not parse
  'sandbox-runtime', // the code threw while building the model
  'timeout', // the code ran past the sandbox's time limit
  'memory', // the code ran past the sandbox's memory limit
  'unsupported-layer', // a layer or option the pipeline does not support
  'invalid-option', // a layer option has a bad value (NaN, negative, a string for a number, a fraction for an integer)
  'shape', // shapes do not fit together
  'output', // the output is not one vector of class scores
  'over-budget', // parameters, FLOPs or activation memory over the search's caps
  'training-nan', // loss became NaN or infinite
  'training-oom', // out of memory while training
  'training-timeout', // training ran past its time budget
  'invalid-artifact', // the artifact is not a member of the search space (e.g. a malformed NB201 cell)
  'duplicate', // an architecture already evaluated in this search
]);
export type FailureClass = z.infer<typeof FailureClass>;

export const Failure = z.object({
  class: FailureClass,
  /** A message an LLM can act on: what was wrong and where. */
  message: z.string().max(4000),
});
export type Failure = z.infer<typeof Failure>;

/** What happened to one candidate: a fitness, or a failure. */
export const Outcome = z.discriminatedUnion('status', [
  z.object({ status: z.literal('ok'), fitness: z.number().finite() }),
  z.object({ status: z.literal('failed'), failure: Failure }),
]);
export type Outcome = z.infer<typeof Outcome>;

/** One diagnostic triple of the feedback memory: what was wrong, what was changed, how it went. */
export const MemoryEntry = z.object({
  candidateId: z.string(),
  problem: z.string().max(2000),
  suggestion: z.string().max(2000),
  /** The prompt intent the suggestion amounts to, when known (lets rule-based operators read the memory). */
  intent: z.string().optional(),
  outcome: Outcome,
  /** Fitness of what the change was applied to (parent or reference), when known: lets a reader see if it helped. */
  baseline: z.number().nullable().optional(),
});
export type MemoryEntry = z.infer<typeof MemoryEntry>;

/** A candidate handed to an operator as a parent, reference or current attempt. */
export const CandidateRef = z.object({
  id: z.string(),
  artifact: z.string(),
  /** null while the candidate is not evaluated yet (e.g. the initial network during seeding). */
  outcome: Outcome.nullable(),
  /** Raw (unnormalised) descriptor values, in the order of the search's descriptor list. */
  descriptors: z.array(z.number()).optional(),
});
export type CandidateRef = z.infer<typeof CandidateRef>;

export const OperatorKind = z.enum([
  'seed', // evaluate parents[0] as it is (the initial network)
  'mutate', // rewrite parents[0] following `prompt`
  'crossover', // merge all parents following the crossover prompt
  'improve', // feedback-memory: improver diagnoses parents[0] (the current attempt), generator writes a new network
  'sample', // draw a fresh architecture from the space (random search)
]);
export type OperatorKind = z.infer<typeof OperatorKind>;

export const PromptChoice = z.object({
  id: z.string(),
  intent: z.string(),
});
export type PromptChoice = z.infer<typeof PromptChoice>;

/** One unit of work handed out by `ask`: everything an operator needs to produce a child. */
export const CandidateRequest = z.object({
  id: z.string(),
  /** Position in ask order; generation = floor(index / generationSize). */
  index: z.number().int().nonnegative(),
  generation: z.number().int().nonnegative(),
  strategy: z.string(),
  operator: OperatorKind,
  parents: z.array(CandidateRef),
  prompt: PromptChoice.nullable(),
  /** LLM sampling temperature, in [0.1, 1]; rule-based operators read it as edit strength. */
  temperature: z.number().min(0).max(2),
  /** Feedback memory handed to the operator (feedback-memory: the global window; hybrid: the parent's lineage). */
  memory: z.array(MemoryEntry).nullable(),
  /** The best candidate so far, shown to the generator as reference code (null: none yet, or ablated). */
  reference: CandidateRef.nullable(),
  /** Whether the improver role runs before the generator (false in the no-improver ablation). */
  improver: z.boolean(),
  /** Seed for the operator's own randomness, so that a rule-based operator is reproducible. */
  seed: z.number().int().nonnegative(),
});
export type CandidateRequest = z.infer<typeof CandidateRequest>;

/** What the improver said for a candidate (feedback-memory and hybrid). */
export const Feedback = z.object({
  problem: z.string().max(2000),
  suggestion: z.string().max(2000),
  intent: z.string().optional(),
});
export type Feedback = z.infer<typeof Feedback>;

/** The outcome of one request, told back to the engine. */
export const CandidateResult = z.object({
  id: z.string(),
  /** The child's artifact (code or cell); null when nothing usable came out (e.g. extraction failed). */
  artifact: z.string().nullable(),
  outcome: Outcome,
  /** Raw descriptor values of the child (required for archive insertion when the outcome is ok). */
  descriptors: z.array(z.number().finite()).optional(),
  feedback: Feedback.nullable().optional(),
  /** Anything else measured (test accuracy, parameters, wall time); stored, not used by the search. */
  metrics: z.record(z.string(), z.number()).optional(),
});
export type CandidateResult = z.infer<typeof CandidateResult>;

/**
 * What a mutation prompt asks for, machine-readably. Prompt files under `prompts/` each name
 * one; rule-based operators carry the intent out as an edit, LLM operators read the prose.
 */
export const MutationIntent = z.enum([
  'add-layer', // insert one layer somewhere sensible
  'remove-layer', // remove one layer
  'improve', // make it better, free choice (also the random-generation ablation's prompt)
  'shrink-drastically', // cut size/compute a lot
  'grow-drastically', // add a lot of capacity
  'add-dense', // add a fully connected layer
  'add-conv', // add a convolution
  'add-pooling', // add a pooling layer
  'add-residual', // add one skip/residual connection
  'add-residuals', // add several residual connections
  'add-dropout', // add dropout
  'add-normalisation', // add batch normalisation
  'widen', // more channels/units
  'narrow', // fewer channels/units
  'change-activation', // swap an activation function
]);
export type MutationIntent = z.infer<typeof MutationIntent>;

/** The intent of the fixed crossover prompt. */
export const CROSSOVER_INTENT = 'crossover';

/** What an operator (LLM or rule-based) produced for a request, before evaluation. */
export interface OperatorOutput {
  /** The child's artifact; null when none could be produced (then `failure` says why). */
  artifact: string | null;
  failure?: Failure;
  /** The improver's diagnosis, for requests with `improver: true`. */
  feedback?: Feedback | null;
}

/** A synchronous operator (the rule-based ones). LLM operators are async and live in workers. */
export interface Operator {
  apply(request: CandidateRequest): OperatorOutput;
}

/** An operator that needs to wait (an LLM call, a sandbox run). */
export interface AsyncOperator {
  apply(request: CandidateRequest): Promise<OperatorOutput>;
}
