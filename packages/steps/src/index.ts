export * from './search-space.ts';
export * from './space-registry.ts';
export * from './generate-step.ts';
export * from './assemble-result.ts';
export * from './run-local-search.ts';
