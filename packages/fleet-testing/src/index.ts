export * from './start-redis.ts';
export * from './wait-for.ts';
export * from './node-process.ts';
