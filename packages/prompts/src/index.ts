export * from './load-prompts.ts';
export * from './prompt-set.ts';
export * from './template-check.ts';
export * from './prompt-view.ts';
export * from './render-request.ts';
export * from './improver-answer.ts';
export * from './json-in-text.ts';
export * from './space-brief.ts';
