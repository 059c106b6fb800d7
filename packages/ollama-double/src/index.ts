export * from './ollama-double.ts';
export * from './wire-format.ts';
