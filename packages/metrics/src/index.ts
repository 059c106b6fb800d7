export * from './busy-tracker.ts';
export * from './outcome-labels.ts';
export * from './worker-metrics.ts';
export * from './search-metrics.ts';
export * from './exposition.ts';
export * from './serve-metrics.ts';
