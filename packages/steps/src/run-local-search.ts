import type { CandidateRequest, CandidateResult } from '@nasfleet/contracts';
import type { SearchEngine } from '@nasfleet/search';
import { assembleResult } from './assemble-result.ts';
import type { GenerateStep } from './generate-step.ts';
import type { SearchSpace } from './search-space.ts';

export interface LocalSearchOptions {
  engine: SearchEngine;
  space: SearchSpace;
  generate: GenerateStep;
  /** Candidates to evaluate in this run. */
  evaluations: number;
  /** Ask this many, run them, tell them together: simulates candidates in flight, reproducibly. Default 1. */
  batch?: number;
  /** Instead of batches: this many candidates in flight, each told as soon as it finishes (steady state). */
  concurrency?: number;
  onResult?: (result: CandidateResult, request: CandidateRequest, told: number) => void;
}

/**
 * Runs a search in one process through the same steps a fleet spreads over machines: generate →
 * check → (de-duplication by canonical hash, in the engine's durable state) → evaluate → assemble →
 * tell. A candidate whose architecture an earlier one has takes that one's result (waiting for it
 * when it is still in flight) and is not evaluated again. Throws what a step throws that is not a
 * candidate's failure (e.g. the LLM server is gone): the search stops with it. Nothing more is
 * asked after such an error; the candidates already running finish (and are told) before it is
 * thrown, so no step of this search runs on once the call has returned.
 */
export async function runLocalSearch(options: LocalSearchOptions): Promise<void> {
  const { engine, space, generate } = options;
  if (!Number.isInteger(options.evaluations) || options.evaluations < 0) throw new RangeError('evaluations must be a non-negative integer');
  const inFlight = new Map<string, Promise<CandidateResult>>();
  let told = 0;

  const runOne = async (request: CandidateRequest): Promise<CandidateResult> => {
    const generated = await generate(request);
    if (generated.answer === null) return assembleResult(generated, null, null);
    const check = await space.check(generated.answer);
    if (!check.ok) return assembleResult(generated, check, null);
    if (space.dedup) {
      const { duplicateOf } = engine.claimHash(request.id, check.canonicalHash);
      if (duplicateOf !== null) {
        const earlier = engine.candidate(duplicateOf);
        const result = earlier?.result ?? (await inFlight.get(duplicateOf)) ?? null;
        // No result and nothing to wait for: its evaluation was lost with a crashed process, so evaluate this one.
        if (earlier && result) return assembleResult(generated, check, { kind: 'duplicate', of: { id: duplicateOf, index: earlier.index, result } });
      }
    }
    return assembleResult(generated, check, { kind: 'evaluated', evaluation: await space.evaluate(check, request.id) });
  };
  const start = (request: CandidateRequest): Promise<CandidateResult> => {
    const running = runOne(request);
    inFlight.set(request.id, running);
    return running;
  };
  const tell = (results: CandidateResult[], requests: CandidateRequest[]) => {
    engine.tell(results);
    results.forEach((result, i) => {
      inFlight.delete(result.id);
      told += 1;
      options.onResult?.(result, requests[i]!, told);
    });
  };

  if (options.concurrency !== undefined) {
    if (!Number.isInteger(options.concurrency) || options.concurrency < 1) throw new RangeError('concurrency must be a positive integer');
    let asked = 0;
    // The first error stops every worker from asking more; the candidates already running finish and are told.
    const stop: { error?: unknown } = {};
    const worker = async (): Promise<void> => {
      while (!('error' in stop) && asked < options.evaluations) {
        asked += 1;
        const [request] = engine.ask(1);
        try {
          tell([await start(request!)], [request!]);
        } catch (error) {
          if (!('error' in stop)) stop.error = error;
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(options.concurrency, options.evaluations) }, worker));
    if ('error' in stop) throw stop.error;
    return;
  }
  const batch = options.batch ?? 1;
  if (!Number.isInteger(batch) || batch < 1) throw new RangeError('batch must be a positive integer');
  while (told < options.evaluations) {
    const requests = engine.ask(Math.min(batch, options.evaluations - told));
    // The whole batch settles before an error is thrown, so nothing of it still runs once this returns.
    const settled = await Promise.allSettled(requests.map(start));
    const failed = settled.find((s) => s.status === 'rejected');
    if (failed) {
      const finished = settled.flatMap((s, i) => (s.status === 'fulfilled' ? [{ result: s.value, request: requests[i]! }] : []));
      tell(finished.map((f) => f.result), finished.map((f) => f.request));
      throw failed.reason;
    }
    tell(settled.map((s) => (s as PromiseFulfilledResult<CandidateResult>).value), requests);
  }
}
