import { z } from 'zod';
import { CandidateRequest, Feedback } from './candidate.ts';
import { Failure, Outcome } from './failure.ts';

/**
 * The payloads and results of the three steps a candidate goes through, each of which may run on a
 * different machine: generate (prompt → LLM → answer), check (answer → architecture, canonical hash,
 * descriptors, or a failure), train (architecture + dataset reference + train config → outcome).
 * Both sides of a queue parse them with these schemas; a training worker imports nothing else.
 */

/** Which search space a job belongs to, and its options; the space registry checks the options. */
export const SpaceRef = z.object({
  name: z.string().min(1),
  options: z.record(z.string(), z.unknown()).default({}),
});
export type SpaceRef = z.infer<typeof SpaceRef>;

/** Which LLM answers, and how. `rule` is the rule-based operator: no LLM at all. */
export const LlmSettings = z.object({
  provider: z.enum(['rule', 'ollama', 'openai']),
  /** Ollama's host or an OpenAI-compatible base URL (ignored by `rule`). */
  endpoint: z.string().nullable().default(null),
  /** The code (or cell) writer: LLMatic's mutation/crossover and the feedback loop's generator. */
  generatorModel: z.string().nullable().default(null),
  /** The feedback loop's improver; defaults to the generator's model. */
  improverModel: z.string().nullable().default(null),
  /** Cap on generated tokens per answer. */
  maxTokens: z.number().int().positive().default(2048),
});
export type LlmSettings = z.infer<typeof LlmSettings>;

/** Work for an LLM worker: one candidate request, rendered with the prompt set whose hash it names. */
export const GenerateJob = z.object({
  searchId: z.string().min(1),
  request: CandidateRequest,
  space: SpaceRef,
  llm: LlmSettings,
  /** sha256 of the prompt set the search runs with; a worker with other prompt files refuses the job. */
  promptSetHash: z.string().min(1),
});
export type GenerateJob = z.infer<typeof GenerateJob>;

/** One call to an LLM, as recorded in a candidate's provenance. */
export const LlmCall = z.object({
  role: z.enum(['improver', 'generator']),
  model: z.string(),
  promptTokens: z.number().int().nonnegative().nullable(),
  completionTokens: z.number().int().nonnegative().nullable(),
  durationMs: z.number().nonnegative(),
  /**
   * Time the server spent generating the completion (Ollama's eval_duration, or the streamed time
   * when the stream was stopped before Ollama's final message); null or absent when the server does
   * not say (OpenAI-compatible servers), and in payloads recorded before it existed.
   */
  generationMs: z.number().nonnegative().nullable().optional(),
  attempts: z.number().int().positive(),
  stoppedEarly: z.boolean(),
  truncated: z.boolean(),
});
export type LlmCall = z.infer<typeof LlmCall>;

/** What generate produced: the raw answer (or the rule operator's artifact), or why there is none. */
export const GenerateResult = z.object({
  id: z.string(),
  /** The whole answer as the LLM gave it (check extracts the code or cell); null with `failure` when there is none. */
  answer: z.string().nullable(),
  failure: Failure.optional(),
  feedback: Feedback.nullable(),
  calls: z.array(LlmCall).default([]),
});
export type GenerateResult = z.infer<typeof GenerateResult>;

/** Work for a checker: an answer to turn into an architecture in the named space. */
export const CheckJob = z.object({
  searchId: z.string().min(1),
  candidateId: z.string().min(1),
  answer: z.string(),
  space: SpaceRef,
});
export type CheckJob = z.infer<typeof CheckJob>;

/** What check found: an architecture ready to train (or look up), or a failure that costs no training. */
export const CheckResult = z.discriminatedUnion('ok', [
  z.object({
    ok: z.literal(true),
    /** The code or cell as the search keeps it (the extracted code; NB201: the canonical arch string). */
    artifact: z.string(),
    /** The plain architecture description a trainer builds (code space); null for look-up spaces. */
    architecture: z.unknown().nullable(),
    canonicalHash: z.string().min(1),
    descriptors: z.array(z.number().finite()),
    metrics: z.record(z.string(), z.number()),
  }),
  z.object({
    ok: z.literal(false),
    artifact: z.string().nullable(),
    failure: Failure,
    metrics: z.record(z.string(), z.number()),
  }),
]);
export type CheckResult = z.infer<typeof CheckResult>;

/** The data a candidate trains and is scored on, by name: every worker rebuilds the same split from it. */
export const DatasetRef = z.object({
  name: z.enum(['fashion-mnist', 'cifar10', 'cifar100', 'imagenette']),
  /** Use only the first N training images (null: all). */
  trainSubset: z.number().int().positive().nullable().default(null),
  /** The validation hold-out drawn from those images (share or count, and its seed). */
  validation: z.object({ fraction: z.number().gt(0).lt(1).default(0.1), count: z.number().int().positive().optional(), seed: z.number().int().nonnegative().default(0) }).prefault({}),
});
export type DatasetRef = z.infer<typeof DatasetRef>;

/** Work for a training worker. `train` is the trainer's own config, checked by the trainer. */
export const TrainJob = z.object({
  searchId: z.string().min(1),
  candidateId: z.string().min(1),
  architecture: z.unknown(),
  dataset: DatasetRef,
  train: z.record(z.string(), z.unknown()).default({}),
  /** Keep the trained network and return it as model files (an export of a search's candidate); its result is not a search's tell. */
  export: z.boolean().default(false),
});
export type TrainJob = z.infer<typeof TrainJob>;

/** A trained network in TF.js's layers-model format: model.json's text (its weights manifest names weights.bin) and weights.bin in base64. */
export const ModelFiles = z.object({
  modelJson: z.string(),
  weightsBase64: z.string(),
  weightBytes: z.number().int().nonnegative(),
});
export type ModelFiles = z.infer<typeof ModelFiles>;

/** What training gave: fitness = validation accuracy in percent, or a training failure; and what was measured. */
export const TrainJobResult = z.object({
  candidateId: z.string(),
  outcome: Outcome,
  metrics: z.record(z.string(), z.number()),
  /** The trained network, for an export job that trained successfully. */
  model: ModelFiles.optional(),
});
export type TrainJobResult = z.infer<typeof TrainJobResult>;
