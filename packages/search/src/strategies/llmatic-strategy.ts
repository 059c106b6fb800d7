import { createLlmatic } from './llmatic.ts';
import type { StrategyDefinition } from './strategy-definition.ts';

/** Registry entry of LLMatic as in the paper (the hybrid is hybrid-strategy.ts). */
export const llmaticStrategy: StrategyDefinition = {
  name: 'llmatic',
  description: 'LLMatic (Nasir et al. 2024): CVT-MAP-Elites over networks and prompts, curiosity-chosen prompts, mutation and crossover',
  // Every success is offered to the network archive, which places it by its descriptors.
  needsDescriptors: true,
  create: (_config, snapshot) => createLlmatic({ lineageMemory: false }, snapshot),
};
