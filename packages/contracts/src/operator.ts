import { z } from 'zod';
import { CandidateRequest, Feedback } from './candidate.ts';
import { Failure } from './failure.ts';

/** What an operator (LLM or rule-based) produced for a request, before evaluation; crosses the generate queue. */
export const OperatorOutput = z.object({
  /** The child's artifact (an LLM's whole answer, or a rule operator's code or cell); null when none could be produced (then `failure` says why). */
  artifact: z.string().nullable(),
  failure: Failure.optional(),
  /** The improver's diagnosis, for requests with `improver: true`. */
  feedback: Feedback.nullable().optional(),
});
export type OperatorOutput = z.infer<typeof OperatorOutput>;

/** A synchronous operator (the rule-based NB201 one). */
export interface Operator {
  apply(request: CandidateRequest): OperatorOutput;
}

/** An operator that needs to wait (an LLM call, a sandbox run). */
export interface AsyncOperator {
  apply(request: CandidateRequest): Promise<OperatorOutput>;
}
