// The shared test settings (pool, workers, timeouts for a busy machine): see vitest.shared.ts at the top.
export { default } from '../../vitest.shared.ts';
