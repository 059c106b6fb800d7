import { z } from 'zod';
import { CheckResult, GenerateResult, TrainJobResult, WorkerInfo } from '@nasfleet/contracts';

/** What an LLM worker made of a GenerateJob: the answer, and what check found in it (null when there was no answer to check). */
export const GenerateOutput = z.object({
  generate: GenerateResult,
  check: CheckResult.nullable(),
});
export type GenerateOutput = z.infer<typeof GenerateOutput>;

// Which worker produced a result (contracts' WorkerInfo), re-exported where workers have always found it.
export { WorkerInfo } from '@nasfleet/contracts';

const envelope = {
  searchId: z.string().min(1),
  candidateId: z.string().min(1),
  worker: WorkerInfo,
  /** When the worker started on the job, and when it was done (ISO 8601). */
  startedAt: z.iso.datetime(),
  finishedAt: z.iso.datetime(),
};

/** A generate step's result: what an LLM worker's job returns. */
export const GenerateResultMessage = z.object({ ...envelope, step: z.literal('generate'), payload: GenerateOutput });
/** A training's result: what a training worker's job returns (an export's too; it is no tell of its search). */
export const TrainResultMessage = z.object({ ...envelope, step: z.literal('train'), payload: TrainJobResult });

/**
 * A step's outcome for one candidate, as the orchestrator (the one writer) applies it: the return
 * value of the step's job. `step` says which payload it carries: `{ generate, check }` from an LLM
 * worker, a TrainJobResult from a training worker.
 */
export const ResultMessage = z.discriminatedUnion('step', [GenerateResultMessage, TrainResultMessage]);
export type ResultMessage = z.infer<typeof ResultMessage>;
export type ResultMessageInput = z.input<typeof ResultMessage>;
