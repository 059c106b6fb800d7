import type { CandidateResult, CheckResult, Failure, GenerateResult } from '@nasfleet/contracts';
import type { Evaluation } from './search-space.ts';

/** What happened after check: evaluated here, or the same architecture as an earlier candidate. */
export type AfterCheck =
  | { kind: 'evaluated'; evaluation: Evaluation }
  | { kind: 'duplicate'; of: { id: string; index: number; result: CandidateResult } };

/** The LLM calls' cost as metrics (summed over the improver and generator). */
export function llmMetrics(generated: GenerateResult): Record<string, number> {
  if (generated.calls.length === 0) return {};
  const sum = (f: (c: GenerateResult['calls'][number]) => number | null) => generated.calls.reduce((s, c) => s + (f(c) ?? 0), 0);
  return {
    llmMs: sum((c) => c.durationMs), llmCalls: generated.calls.length, llmAttempts: sum((c) => c.attempts),
    promptTokens: sum((c) => c.promptTokens), completionTokens: sum((c) => c.completionTokens),
    llmTruncated: generated.calls.some((c) => c.truncated) ? 1 : 0,
  };
}

/**
 * The one way a candidate's result is put together from its steps, wherever they ran. Pure: the
 * same steps' outputs give the same result. `check` is null when generate produced no answer;
 * `after` is null when check failed.
 */
export function assembleResult(generated: GenerateResult, check: CheckResult | null, after: AfterCheck | null): CandidateResult {
  const { id, feedback } = generated;
  const llm = llmMetrics(generated);
  const failed = (artifact: string | null, failure: Failure, metrics: Record<string, number>): CandidateResult => ({
    id, artifact, outcome: { status: 'failed', failure }, feedback, metrics: { ...metrics, ...llm },
  });
  if (generated.answer === null || check === null) {
    return failed(null, generated.failure ?? { class: 'extraction', message: 'the operator produced no answer' }, {});
  }
  if (!check.ok) {
    const cut = generated.calls.some((c) => c.role === 'generator' && c.truncated);
    const failure = cut && check.failure.class === 'extraction' ? { ...check.failure, message: `${check.failure.message} (the answer was cut off at the token cap)`.slice(0, 4000) } : check.failure;
    return failed(check.artifact, failure, check.metrics);
  }
  if (after === null) throw new Error(`assembleResult: candidate ${id} passed its check but was neither evaluated nor found a duplicate`);
  if (after.kind === 'duplicate') {
    const earlier = after.of.result;
    return {
      id, artifact: check.artifact, outcome: earlier.outcome, feedback, canonicalHash: check.canonicalHash,
      ...(earlier.outcome.status === 'ok' ? { descriptors: check.descriptors } : {}),
      metrics: { ...check.metrics, ...llm, duplicateOfIndex: after.of.index },
    };
  }
  const { outcome, metrics } = after.evaluation;
  return {
    id, artifact: check.artifact, outcome, feedback, canonicalHash: check.canonicalHash,
    ...(outcome.status === 'ok' ? { descriptors: check.descriptors } : {}),
    metrics: { ...check.metrics, ...metrics, ...llm },
  };
}
