export * from './code-rule-operator.ts';
export * from './code-space.ts';
export * from './run-code-search.ts';
export * from './export-network.ts';
export * from './measure-test-accuracy.ts';
export * from './code-space-definition.ts';
