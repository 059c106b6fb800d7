import { createLlmatic } from './llmatic.ts';
import type { StrategyDefinition } from './strategy-definition.ts';

/**
 * Registry entry of the hybrid (createLlmatic with lineage memory): LLMatic's archives and operators, with tournament parent selection by
 * default and, for each mutation, the feedback memory of the parent's lineage. Its own defaults (issue 10; chosen on NAS-Bench-201
 * seeds 0–199 with the neutral operator, judged on seeds from 1000, docs/algorithms.md §3): samples as seeds, a tournament of 6,
 * and from the 200th result on three parent draws in four made as regularized evolution makes them; samples fill every free slot
 * while seeding (capped like the paper's seeding, they find a top cell sooner at 100 in flight but end lower at 500). With them it
 * needs fewer distinct trainings than regularized evolution to a top-0.1% cell at 1, 16 and 100 in flight; a given setting wins.
 */
export const hybridStrategy: StrategyDefinition = {
  name: 'hybrid',
  description: 'hybrid: LLMatic seeded with samples, tournament parents with exploitation, and each mutation given the feedback memory of its lineage',
  needsDescriptors: true,
  create: (_config, snapshot) => createLlmatic({ lineageMemory: true }, snapshot),
  configDefaults: { llmatic: { seeding: 'sample', tournamentSize: 6, exploitShare: 0.75, seedingInFlight: 'fill' } },
};
