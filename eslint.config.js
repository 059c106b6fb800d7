// One lint config for the whole monorepo: typescript-eslint's recommended rules, plus the
// project rules from STYLE.md that a linter can check (no Math.random, no process.env outside config files).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', '**/.turbo/**', '**/coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-properties': ['error', { object: 'Math', property: 'random', message: 'Use an injected seeded Rng.' }],
    },
  },
  {
    files: ['**/*.ts'],
    ignores: ['**/config.ts', '**/*.test.ts', 'bench/**', 'test/**'],
    rules: {
      'no-restricted-properties': [
        'error',
        { object: 'Math', property: 'random', message: 'Use an injected seeded Rng.' },
        { object: 'process', property: 'env', message: 'Read the environment once, in the app\'s config.ts.' },
      ],
    },
  },
);
