// The shared test settings (pool, workers, timeouts for a busy machine): see vitest.shared.ts at the top.
// Each fault test file runs alone in its own fork (maxWorkers 1): they start processes and a redis-server of their own.
export { default } from '../vitest.shared.ts';
