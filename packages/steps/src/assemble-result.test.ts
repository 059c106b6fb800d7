import { describe, expect, it } from 'vitest';
import { CandidateResult } from '@nasfleet/contracts';
import type { CheckResult, GenerateResult, LlmCall } from '@nasfleet/contracts';
import { assembleResult, llmMetrics } from './assemble-result.ts';
import type { AfterCheck } from './assemble-result.ts';

/** The one assembly of a candidate's result from its steps' outputs: every branch, and purity. */

const call = (role: LlmCall['role'], over: Partial<LlmCall> = {}): LlmCall => ({
  role, model: role === 'improver' ? 'imp' : 'gen', promptTokens: 100, completionTokens: 40, durationMs: 250, attempts: 1, stoppedEarly: false, truncated: false, ...over,
});
const feedback = { problem: 'x is too small', suggestion: 'raise x', intent: 'improve' };
const generated = (over: Partial<GenerateResult> = {}): GenerateResult => ({ id: 'c000004', answer: '```text\nx=5\n```', feedback, calls: [], ...over });
const checked = (over: Partial<Extract<CheckResult, { ok: true }>> = {}): CheckResult => ({
  ok: true, artifact: 'x=5', architecture: null, canonicalHash: 'toy:5', descriptors: [5, 0], metrics: { checkMs: 3 }, ...over,
});
const checkFailed = (cls: 'extraction' | 'syntax', artifact: string | null = null): CheckResult => ({
  ok: false, artifact, failure: { class: cls, message: 'no x=<n> found in the answer' }, metrics: { checkMs: 1 },
});
const evaluated = (fitness: number, metrics: Record<string, number> = { trainMs: 900, steps: 16 }): AfterCheck => ({ kind: 'evaluated', evaluation: { outcome: { status: 'ok', fitness }, metrics } });
const earlier: CandidateResult = {
  id: 'c000001', artifact: 'x = 05', outcome: { status: 'ok', fitness: 96 }, descriptors: [5, 0], canonicalHash: 'toy:5', feedback: null, metrics: { trainMs: 1200, steps: 16, checkMs: 9 },
};
const duplicateOf = (result: CandidateResult = earlier, index = 1): AfterCheck => ({ kind: 'duplicate', of: { id: result.id, index, result } });

describe('assembleResult: no answer', () => {
  it('a generate step without an answer gives its own failure, no artifact, and the LLM metrics', () => {
    const failure = { class: 'extraction' as const, message: 'the rule operator found nothing to change' };
    const r = assembleResult(generated({ answer: null, failure, calls: [call('generator')] }), null, null);
    expect(r).toEqual({
      id: 'c000004', artifact: null, outcome: { status: 'failed', failure }, feedback,
      metrics: { llmMs: 250, llmCalls: 1, llmAttempts: 1, promptTokens: 100, completionTokens: 40, llmTruncated: 0 },
    });
    expect(CandidateResult.parse(r)).toEqual(r);
  });

  it('without a failure of its own it is an extraction failure; a null check alone counts as no answer too', () => {
    const r = assembleResult(generated({ answer: null }), null, null);
    expect(r.outcome).toEqual({ status: 'failed', failure: { class: 'extraction', message: 'the operator produced no answer' } });
    expect(r.metrics).toEqual({});
    expect(assembleResult(generated(), null, null).outcome.status).toBe('failed');
    expect(assembleResult(generated(), null, evaluated(50)).outcome.status).toBe('failed');
  });
});

describe('assembleResult: check failed', () => {
  it('takes the check\'s artifact, failure and metrics, with no hash or descriptors', () => {
    const r = assembleResult(generated(), checkFailed('syntax', 'x=='), null);
    expect(r).toEqual({
      id: 'c000004', artifact: 'x==', outcome: { status: 'failed', failure: { class: 'syntax', message: 'no x=<n> found in the answer' } }, feedback, metrics: { checkMs: 1 },
    });
    expect(r).not.toHaveProperty('canonicalHash');
    expect(r).not.toHaveProperty('descriptors');
  });

  it('an extraction failure of an answer the token cap cut off says so', () => {
    const r = assembleResult(generated({ calls: [call('improver'), call('generator', { truncated: true })] }), checkFailed('extraction'), null);
    expect(r.outcome).toEqual({ status: 'failed', failure: { class: 'extraction', message: 'no x=<n> found in the answer (the answer was cut off at the token cap)' } });
    expect(r.metrics).toMatchObject({ checkMs: 1, llmTruncated: 1, llmCalls: 2 });
  });

  it('the note stays within the failure message\'s 4000 characters', () => {
    const long: CheckResult = { ok: false, artifact: null, failure: { class: 'extraction', message: 'y'.repeat(3990) }, metrics: {} };
    const r = assembleResult(generated({ calls: [call('generator', { truncated: true })] }), long, null);
    const message = r.outcome.status === 'failed' ? r.outcome.failure.message : '';
    expect(message).toHaveLength(4000);
    expect(message.startsWith('y'.repeat(3990))).toBe(true);
    expect(() => CandidateResult.parse(r)).not.toThrow();
  });

  it('no note when the cut was the improver\'s, when the failure is not extraction, or when nothing was cut', () => {
    const message = (g: GenerateResult, c: CheckResult) => {
      const r = assembleResult(g, c, null);
      return r.outcome.status === 'failed' ? r.outcome.failure.message : '';
    };
    expect(message(generated({ calls: [call('improver', { truncated: true }), call('generator')] }), checkFailed('extraction'))).toBe('no x=<n> found in the answer');
    expect(message(generated({ calls: [call('generator', { truncated: true })] }), checkFailed('syntax'))).toBe('no x=<n> found in the answer');
    expect(message(generated({ calls: [call('generator')] }), checkFailed('extraction'))).toBe('no x=<n> found in the answer');
  });

  it('check failed wins over any after-check step handed in', () => {
    expect(assembleResult(generated(), checkFailed('syntax'), evaluated(99)).outcome.status).toBe('failed');
  });
});

describe('assembleResult: duplicate', () => {
  it('copies the earlier outcome, keeps this candidate\'s artifact, hash, descriptors and metrics, and names the earlier index', () => {
    const r = assembleResult(generated({ calls: [call('generator')] }), checked({ artifact: 'x=5', metrics: { checkMs: 3 } }), duplicateOf());
    expect(r).toEqual({
      id: 'c000004', artifact: 'x=5', outcome: { status: 'ok', fitness: 96 }, feedback, canonicalHash: 'toy:5', descriptors: [5, 0],
      metrics: { checkMs: 3, llmMs: 250, llmCalls: 1, llmAttempts: 1, promptTokens: 100, completionTokens: 40, llmTruncated: 0, duplicateOfIndex: 1 },
    });
    // Nothing of the earlier candidate but its outcome: not its id, artifact, feedback or training metrics.
    expect(r.metrics).not.toHaveProperty('trainMs');
    expect(CandidateResult.parse(r)).toEqual(r);
  });

  it('a duplicate of a failed candidate fails the same way, without descriptors', () => {
    const failedEarlier: CandidateResult = { id: 'c000002', artifact: 'x=13', outcome: { status: 'failed', failure: { class: 'training-nan', message: 'loss NaN' } }, canonicalHash: 'toy:13' };
    const r = assembleResult(generated({ feedback: null }), checked({ artifact: 'x=13', canonicalHash: 'toy:13', descriptors: [13, 3] }), duplicateOf(failedEarlier, 2));
    expect(r).toEqual({
      id: 'c000004', artifact: 'x=13', outcome: failedEarlier.outcome, feedback: null, canonicalHash: 'toy:13', metrics: { checkMs: 3, duplicateOfIndex: 2 },
    });
  });

  it('duplicateOfIndex is the index of the earlier candidate, 0 included', () => {
    expect(assembleResult(generated(), checked(), duplicateOf(earlier, 0)).metrics?.duplicateOfIndex).toBe(0);
  });
});

describe('assembleResult: evaluated', () => {
  it('merges the check\'s, the evaluation\'s and the LLM\'s metrics, with hash and descriptors', () => {
    const r = assembleResult(generated({ calls: [call('improver'), call('generator')] }), checked(), evaluated(96, { trainMs: 900, steps: 16 }));
    expect(r).toEqual({
      id: 'c000004', artifact: 'x=5', outcome: { status: 'ok', fitness: 96 }, feedback, canonicalHash: 'toy:5', descriptors: [5, 0],
      metrics: { checkMs: 3, trainMs: 900, steps: 16, llmMs: 500, llmCalls: 2, llmAttempts: 2, promptTokens: 200, completionTokens: 80, llmTruncated: 0 },
    });
  });

  it('a failed evaluation has no descriptors but keeps the hash, so the architecture is not trained again', () => {
    const failure = { class: 'training-nan' as const, message: 'loss became NaN at step 3' };
    const r = assembleResult(generated(), checked(), { kind: 'evaluated', evaluation: { outcome: { status: 'failed', failure }, metrics: { steps: 3 } } });
    expect(r).toEqual({ id: 'c000004', artifact: 'x=5', outcome: { status: 'failed', failure }, feedback, canonicalHash: 'toy:5', metrics: { checkMs: 3, steps: 3 } });
  });

  it('an evaluation\'s metric overrides the check\'s of the same name', () => {
    expect(assembleResult(generated(), checked({ metrics: { ms: 1, a: 1 } }), evaluated(1, { ms: 2 })).metrics).toEqual({ ms: 2, a: 1 });
  });

  it('a passed check with neither evaluation nor duplicate is a driver bug: it throws, naming the candidate', () => {
    expect(() => assembleResult(generated(), checked(), null)).toThrow(/candidate c000004 passed its check but was neither evaluated nor found a duplicate/);
  });
});

describe('llmMetrics', () => {
  it('sums over the calls, counting unknown token counts as 0; truncated if any call was', () => {
    const m = llmMetrics(generated({
      calls: [call('improver', { promptTokens: null, completionTokens: 7, durationMs: 10.5, attempts: 3 }), call('generator', { promptTokens: 20, completionTokens: null, durationMs: 4, truncated: true })],
    }));
    expect(m).toEqual({ llmMs: 14.5, llmCalls: 2, llmAttempts: 4, promptTokens: 20, completionTokens: 7, llmTruncated: 1 });
  });

  it('no calls (the rule operator), no LLM metrics at all', () => {
    expect(llmMetrics(generated())).toEqual({});
    expect(assembleResult(generated(), checked(), evaluated(1, {})).metrics).toEqual({ checkMs: 3 });
  });
});

describe('assembleResult is pure', () => {
  const cases: [string, () => [GenerateResult, CheckResult | null, AfterCheck | null]][] = [
    ['no answer', () => [generated({ answer: null, calls: [call('generator')] }), null, null]],
    ['check failed, cut', () => [generated({ calls: [call('generator', { truncated: true })] }), checkFailed('extraction'), null]],
    ['duplicate', () => [generated({ calls: [call('improver'), call('generator')] }), checked(), duplicateOf()]],
    ['evaluated', () => [generated({ calls: [call('generator')] }), checked(), evaluated(42)]],
  ];

  it.each(cases)('%s: the same inputs give equal outputs, and the inputs are not changed', (_name, make) => {
    const inputs = make();
    const before = structuredClone(inputs);
    const first = assembleResult(...inputs);
    const second = assembleResult(...inputs);
    expect(second).toEqual(first);
    expect(assembleResult(...make())).toEqual(first);
    expect(inputs).toEqual(before);
    expect(JSON.stringify(assembleResult(...inputs))).toBe(JSON.stringify(first));
  });
});
