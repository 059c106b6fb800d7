import { z } from 'zod';
import { LlmSettings, SpaceRef } from '@nasfleet/contracts';

/**
 * A submitted search. `config` is the engine's SearchConfig input (checked when the engine is made,
 * where the space's descriptor bounds fill in `networkArchive.bounds`); `evaluations` is the budget
 * (candidates told); `depth` the candidates in flight (absent: derived from the connected workers, see
 * workerDepth); `replay` tells results in ask order with one
 * candidate in flight, so that the run is the local batch-1 run, byte for byte (see search-runner.ts).
 */
export const SearchSpec = z.object({
  space: SpaceRef,
  config: z.looseObject({
    strategy: z.string().min(1),
    seed: z.number().int().nonnegative().default(0),
    networkArchive: z.looseObject({}).optional(),
  }),
  evaluations: z.number().int().positive(),
  llm: LlmSettings.prefault({ provider: 'rule' }),
  depth: z.number().int().positive().max(1000).optional(),
  replay: z.boolean().default(false),
});
export type SearchSpec = z.output<typeof SearchSpec>;
export type SearchSpecInput = z.input<typeof SearchSpec>;
