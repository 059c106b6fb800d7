/** Test support (not for production code): Debian's promtool and a real Prometheus server. */
export * from './promtool.ts';
export * from './prometheus.ts';
export * from './samples.ts';
