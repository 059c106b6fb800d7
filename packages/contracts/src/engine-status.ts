import { z } from 'zod';

/** Statistics of one MAP-Elites archive. */
export const ArchiveSummary = z.object({
  size: z.number().int().nonnegative(),
  coverage: z.number().min(0).max(1),
  qdScore: z.number().optional(),
  best: z.number().nullable().optional(),
  meanFitness: z.number().nullable().optional(),
});
export type ArchiveSummary = z.infer<typeof ArchiveSummary>;

/** What a strategy reports of itself; each field is present for the strategies that have it. */
export const StrategyStats = z.object({
  networkArchive: ArchiveSummary.optional(),
  promptArchive: ArchiveSummary.optional(),
  /** The prompt archive's current temperature (LLMatic, hybrid). */
  temperature: z.number().optional(),
  /** Triples in the feedback memory's window. */
  memory: z.number().int().nonnegative().optional(),
  /** Regularized evolution's population size. */
  population: z.number().int().nonnegative().optional(),
});
export type StrategyStats = z.infer<typeof StrategyStats>;

/** A search engine's counts, as an HTTP API or a dashboard shows them. */
export const EngineStatus = z.object({
  strategy: z.string(),
  asked: z.number().int().nonnegative(),
  told: z.number().int().nonnegative(),
  inFlight: z.number().int().nonnegative(),
  failed: z.number().int().nonnegative(),
  /** Distinct architectures whose canonical hash the search has seen (duplicates are not trained twice). */
  distinct: z.number().int().nonnegative(),
  best: z.number().nullable(),
  details: StrategyStats,
});
export type EngineStatus = z.infer<typeof EngineStatus>;
