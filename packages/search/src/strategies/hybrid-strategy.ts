import { createLlmatic } from './llmatic.ts';
import type { StrategyDefinition } from './strategy-definition.ts';

/**
 * Registry entry of the hybrid (createLlmatic with lineage memory): LLMatic's archives and operators, with tournament parent selection by
 * default and, for each mutation, the feedback memory of the parent's lineage.
 */
export const hybridStrategy: StrategyDefinition = {
  name: 'hybrid',
  description: 'hybrid: LLMatic with tournament parents and each mutation given the feedback memory of its lineage',
  needsDescriptors: true,
  create: (_config, snapshot) => createLlmatic({ lineageMemory: true }, snapshot),
};
