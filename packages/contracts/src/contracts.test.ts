import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { CandidateResult, CheckResult, formatZodError, GenerateJob, TrainJob } from './index.ts';

describe('formatZodError', () => {
  it('words every problem as path: message, the root named when a problem has no path', () => {
    const error = z.object({ a: z.number(), b: z.object({ c: z.string() }) }).safeParse({ a: 'x', b: { c: 1 } }).error!;
    expect(formatZodError(error)).toBe('a: Invalid input: expected number, received string; b.c: Invalid input: expected string, received number');
    expect(formatZodError(z.number().safeParse('x').error!, { root: 'value' })).toMatch(/^value: /);
  });

  it('caps the list and says how many were left out', () => {
    const error = z.array(z.number()).safeParse(['a', 'b', 'c']).error!;
    expect(formatZodError(error, { max: 2 })).toMatch(/^0: .*; 1: .*; … and 1 more$/);
  });
});

describe('job contracts', () => {
  const request = {
    id: 'c000001', index: 1, generation: 0, strategy: 'llmatic', operator: 'mutate', parents: [{ id: 'c000000', artifact: 'code', outcome: { status: 'ok', fitness: 80 } }],
    prompt: { id: 'widen', intent: 'widen' }, temperature: 0.6, memory: null, reference: null, improver: false, seed: 7,
  };

  it('fills the defaults a sender may leave out, and rejects what a worker cannot act on', () => {
    const job = GenerateJob.parse({ searchId: 's1', request, space: { name: 'code' }, llm: { provider: 'ollama' }, promptSetHash: 'abc' });
    expect(job.space.options).toEqual({});
    expect(job.llm).toMatchObject({ endpoint: null, generatorModel: null, maxTokens: 2048 });
    expect(GenerateJob.safeParse({ ...job, llm: { provider: 'gpt' } }).success).toBe(false);
    expect(TrainJob.parse({ searchId: 's1', candidateId: 'c1', architecture: {}, dataset: { name: 'fashion-mnist' } }).dataset).toMatchObject({ trainSubset: null, validation: { fraction: 0.1, seed: 0 } });
    expect(TrainJob.safeParse({ searchId: 's1', candidateId: 'c1', architecture: {}, dataset: { name: 'mnist' } }).success).toBe(false);
  });

  it('a check result is either ready to train (hash, descriptors) or a failure', () => {
    expect(CheckResult.safeParse({ ok: true, artifact: 'x', architecture: null, canonicalHash: 'h', descriptors: [1, 2], metrics: {} }).success).toBe(true);
    expect(CheckResult.safeParse({ ok: true, artifact: 'x', architecture: null, descriptors: [1, 2], metrics: {} }).success).toBe(false);
    expect(CheckResult.safeParse({ ok: false, artifact: null, failure: { class: 'shape', message: 'm' }, metrics: {} }).success).toBe(true);
    expect(CandidateResult.safeParse({ id: 'c1', artifact: 'x', outcome: { status: 'ok', fitness: 1 }, canonicalHash: '' }).success).toBe(false);
  });
});
