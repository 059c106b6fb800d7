export * from './arch-schema.ts';
