export * from './rng.ts';
export * from './contracts.ts';
export * from './archive/index.ts';
