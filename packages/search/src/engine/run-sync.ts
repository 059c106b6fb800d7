import type { CandidateRequest, CandidateResult } from '@nasfleet/contracts';
import type { SearchEngine } from './search-engine.ts';

export interface RunSyncOptions {
  /** Total candidates to evaluate (asks beyond what is told already). */
  evaluations: number;
  /** Candidates asked before their results are told (simulates that many in flight). */
  batch?: number;
  /** Called after each told result, with the number of results told so far in this run. */
  onResult?: (result: CandidateResult, request: CandidateRequest, told: number) => void;
}

/**
 * The simplest driver of the ask/tell engine: ask a batch, evaluate each request synchronously
 * (operator + evaluator in one function), tell the batch. For look-up spaces, tests and benchmarks;
 * the distributed orchestrator drives the same engine through queues.
 */
export function runSync(engine: SearchEngine, evaluate: (request: CandidateRequest) => CandidateResult, options: RunSyncOptions): void {
  const batch = options.batch ?? 1;
  if (!Number.isInteger(options.evaluations) || options.evaluations < 0) throw new RangeError('evaluations must be a non-negative integer');
  if (!Number.isInteger(batch) || batch < 1) throw new RangeError('batch must be a positive integer');
  let told = 0;
  while (told < options.evaluations) {
    const requests = engine.ask(Math.min(batch, options.evaluations - told));
    const results = requests.map((request) => evaluate(request));
    engine.tell(results);
    results.forEach((result, i) => {
      told += 1;
      options.onResult?.(result, requests[i]!, told);
    });
  }
}
