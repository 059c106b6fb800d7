export * from './built-in-spaces.ts';
