import { z } from 'zod';
import { CandidateRequest, CandidateResult, CheckResult, GenerateResult, StepRun } from '@nasfleet/contracts';
import type { CandidateRef } from '@nasfleet/contracts';
import type { ResultMessage } from '@nasfleet/queues';

export { StepRun } from '@nasfleet/contracts';

/** The step run a worker's result message reports. */
export const stepRunOf = (message: Pick<ResultMessage, 'worker' | 'startedAt' | 'finishedAt'>): StepRun => ({
  worker: message.worker, startedAt: message.startedAt, finishedAt: message.finishedAt,
});

/**
 * Everything the fleet knows of one told candidate, kept per candidate in the store (putCandidate):
 * what it was asked to be (operator, parents, prompt id, temperature, seed), the prompt set's hash,
 * the LLM's raw answer and calls (models, tokens, durations), the check (code, architecture,
 * canonical hash, descriptors, diagnostics), the result told to the engine (outcome, metrics), the
 * candidate it copied when it was a duplicate, and which worker ran each step when. Parents and the
 * reference are kept by id and outcome (their code is in their own records).
 */
export const CandidateProvenance = z.object({
  format: z.literal('nasfleet.candidate/v1'),
  searchId: z.string(),
  request: CandidateRequest,
  promptSetHash: z.string().nullable(),
  generate: GenerateResult.nullable(),
  check: CheckResult.nullable(),
  result: CandidateResult,
  duplicateOf: z.string().nullable(),
  steps: z.object({ generate: StepRun.nullable(), train: StepRun.nullable() }),
  askedAt: z.iso.datetime().nullable(),
  toldAt: z.iso.datetime(),
});
export type CandidateProvenance = z.infer<typeof CandidateProvenance>;

/** A parent or reference without its code: the code is in that candidate's own record. */
const slim = (ref: CandidateRef): CandidateRef => ({ ...ref, artifact: '' });

/** The request as a provenance record keeps it: parents and reference by id, outcome and descriptors. */
export function slimRequest(request: CandidateRequest): CandidateRequest {
  return { ...request, parents: request.parents.map(slim), reference: request.reference ? slim(request.reference) : null };
}
