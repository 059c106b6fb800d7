export * from './search-spec.ts';
export * from './create-engine.ts';
export * from './runner-state.ts';
export * from './search-runner.ts';
export * from './orchestrator.ts';
export * from './orchestrator-spaces.ts';
export * from './submit-search.ts';
