export * from './busy-tracker.ts';
export * from './outcome-labels.ts';
export * from './worker-metrics.ts';
export * from './search-metrics.ts';
export * from './exposition.ts';
export * from './serve-metrics.ts';
export * from './queue-depth-renderer.ts';
// prom-client's Registry, so a process makes its own without depending on prom-client itself.
export { Registry } from 'prom-client';
