import { feedbackMemoryStrategy } from './feedback-memory.ts';
import { hybridStrategy } from './hybrid-strategy.ts';
import { llmaticStrategy } from './llmatic-strategy.ts';
import { randomSearchStrategy } from './random-search.ts';
import { regularizedEvolutionStrategy } from './regularized-evolution.ts';
import { StrategyRegistry } from './strategy-registry.ts';

/**
 * A new, unfrozen registry holding the five built-in strategies (in `StrategyName` order); register
 * your own on it and hand it to `SearchEngine.create` and `SearchEngine.restore`.
 */
export function defaultStrategies(): StrategyRegistry {
  return new StrategyRegistry([llmaticStrategy, hybridStrategy, feedbackMemoryStrategy, randomSearchStrategy, regularizedEvolutionStrategy]);
}

/** The built-in strategies, frozen: the engine's default registry, shared by every search. */
export const builtInStrategies: StrategyRegistry = defaultStrategies().freeze();
