export * from './rng.ts';
export * from './contracts.ts';
