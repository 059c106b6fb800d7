export * from './load-prompts.ts';
