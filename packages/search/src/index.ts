export * from '@nasfleet/contracts';
export * from './archive/index.ts';
export * from './engine/search-config.ts';
export * from './engine/candidate-log.ts';
export * from './engine/search-engine.ts';
export type { Strategy, StrategyContext, Proposal } from './strategies/strategy.ts';
export * from './engine/run-sync.ts';
export * from './engine/run-async.ts';
