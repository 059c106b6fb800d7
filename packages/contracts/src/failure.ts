import { z } from 'zod';

/** How a candidate can fail and what it scored: results of the candidate, never reasons to retry. */

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
  'job-failed', // the fleet could not run a step of this candidate and no retry can help (a malformed job, a worker bug)
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
