import { z } from 'zod';
import type { CandidateLogJson } from './candidate-log.ts';
import { EngineSetup } from './engine-setup.ts';
import type { SearchConfig } from './search-config.ts';

/**
 * A search's whole state as plain JSON; `SearchEngine.restore` checks it with this schema (config,
 * log and strategy state are checked by their own parsers, so each error names its part). The
 * de-duplication index lives in the log's records (`hash`); a v1 snapshot written before it had
 * none restores with its owners rebuilt from the told results.
 */
export const EngineSnapshot = z.object({
  format: z.literal('nasfleet.engine/v1'),
  config: z.unknown(),
  setup: EngineSetup,
  rng: z.array(z.number().int()).length(4),
  nextIndex: z.number().int().nonnegative(),
  initialId: z.string().nullable(),
  log: z.unknown(),
  strategy: z.unknown(),
});
export type EngineSnapshot = Omit<z.infer<typeof EngineSnapshot>, 'config' | 'log'> & { config: SearchConfig; log: CandidateLogJson };

/** A snapshot that cannot be restored; the message says which part is wrong. */
export class SnapshotError extends Error {
  constructor(message: string) {
    super(`cannot restore the search: ${message}`);
    this.name = 'SnapshotError';
  }
}
