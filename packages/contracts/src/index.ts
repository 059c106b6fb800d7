export * from './rng.ts';
export * from './failure.ts';
export * from './candidate.ts';
export * from './intents.ts';
export * from './operator.ts';
export * from './jobs.ts';
export * from './engine-status.ts';
export * from './zod-errors.ts';
