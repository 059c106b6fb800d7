export * from './code-rule-operator.ts';
export * from './code-evaluator.ts';
export * from './run-code-search.ts';
export * from './export-network.ts';
export * from './hold-out.ts';
export * from './measure-test-accuracy.ts';
