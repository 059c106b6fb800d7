import type { CandidateRequest, CandidateResult } from '@nasfleet/contracts';
import type { SearchEngine } from './search-engine.ts';
import { TellSignal } from './tell-signal.ts';

export interface RunAsyncOptions {
  /** Total candidates to evaluate. */
  evaluations: number;
  /** Candidates evaluated at once (each told as soon as it finishes: steady state, no generation barrier). */
  concurrency?: number;
  onResult?: (result: CandidateResult, request: CandidateRequest, told: number) => void;
}

/**
 * Drives the engine with an async evaluator in steady state: `concurrency` candidates in flight,
 * a new one asked as soon as any finishes (a worker the engine gives nothing waits for the next
 * result). An evaluator that throws stops the run with that error (failures of a candidate must come
 * back as failed results, not throws).
 */
export async function runAsync(engine: SearchEngine, evaluate: (request: CandidateRequest) => Promise<CandidateResult>, options: RunAsyncOptions): Promise<void> {
  const concurrency = options.concurrency ?? 1;
  if (!Number.isInteger(options.evaluations) || options.evaluations < 0) throw new RangeError('evaluations must be a non-negative integer');
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new RangeError('concurrency must be a positive integer');
  let asked = 0;
  let told = 0;
  let stopped = false;
  const signal = new TellSignal();
  const worker = async (): Promise<void> => {
    while (asked < options.evaluations && !stopped) {
      const [request] = engine.ask(1);
      if (!request) {
        // The strategy waits for a result another worker has in flight.
        await signal.next();
        continue;
      }
      asked += 1;
      try {
        const result = await evaluate(request);
        engine.tell([result]);
        told += 1;
        options.onResult?.(result, request, told);
      } catch (error) {
        stopped = true;
        throw error;
      } finally {
        signal.notify();
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, options.evaluations) }, worker));
}
