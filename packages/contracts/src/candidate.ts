import { z } from 'zod';
import { Outcome } from './failure.ts';

/**
 * The contracts of the ask/tell engine. Requests and results cross Redis queues, so both
 * sides parse them with these schemas; the types are derived from the schemas.
 */

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
  /**
   * The architecture's canonical hash (same network, same hash, however the code is written): the
   * engine keeps an index of them in its durable state, so a duplicate is never trained twice.
   */
  canonicalHash: z.string().min(1).max(200).optional(),
  /** Anything else measured (test accuracy, parameters, wall time); stored, not used by the search. */
  metrics: z.record(z.string(), z.number()).optional(),
});
export type CandidateResult = z.infer<typeof CandidateResult>;
