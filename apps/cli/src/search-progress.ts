import type { CandidateResult } from '@nasfleet/contracts';
import { createProgress } from './progress-bar.ts';
import type { Progress, ProgressStream } from './progress-bar.ts';

/** A local search's progress: a bar of told candidates (best, failures) on a terminal; lines only otherwise. */
export interface SearchProgress {
  /** One told result. */
  told(result: CandidateResult, told: number): void;
  /** A line of its own (above the bar on a terminal). */
  log(line: string): void;
  stop(): void;
}

/**
 * The progress of `npm run search` on `stream` (stderr): cli-progress's bar when it is a terminal,
 * redrawn as results are told; off a terminal nothing but the lines logged, so a log file or a pipe
 * reads as before and --json keeps stdout one JSON document.
 */
export function searchProgress(stream: ProgressStream, evaluations: number): SearchProgress {
  const bar: Progress = createProgress(stream, evaluations, 'search {bar} {value}/{total} | best {best} | failed {failed} | {duration_formatted} (eta {eta_formatted})', { best: '-', failed: 0 });
  let best: number | null = null;
  let failed = 0;
  return {
    told(result, told) {
      if (result.outcome.status === 'ok') best = best === null ? result.outcome.fitness : Math.max(best, result.outcome.fitness);
      else failed++;
      bar.update(told, { best: best === null ? '-' : best.toFixed(2), failed });
    },
    log: (line) => bar.log(line),
    stop: () => bar.stop(),
  };
}
