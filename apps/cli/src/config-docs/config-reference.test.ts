import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { CONFIG_REFERENCE_PATH, ENVIRONMENTS, configReference, inputJsonSchema } from './config-reference.ts';
import { settingRows } from './json-schema-rows.ts';

describe('docs/configuration.md', () => {
  it('is what the code generates (run `npm run config-docs` after changing a schema)', () => {
    expect(readFileSync(CONFIG_REFERENCE_PATH, 'utf8')).toBe(configReference());
  });

  it('describes every environment variable of every process, with its default and range', () => {
    for (const env of ENVIRONMENTS) {
      const rows = settingRows(inputJsonSchema(env.schema));
      expect(rows.map((r) => r.name).sort(), env.source).toEqual(Object.keys((env.schema as z.ZodObject).shape).sort());
      for (const row of rows) expect(row.description, `${row.name} in ${env.source} has no .describe()`).not.toBe('');
    }
    const text = configReference();
    expect(text).toMatch(/^\| `API_PORT` \| integer \| `8080` \| ≥ 0, ≤ 65535 \| The API's port/m);
    expect(text).toMatch(/^\| `WORKER_ROLE` \| string \| required \| `llm`, `train` \|/m);
    expect(text).toMatch(/^\| `PROMPTS_DIR` \| string \| `"<repo>\/prompts\/"` \|/m); // no checkout's own path
  });

  it('documents a search: the spec, the engine\'s config and each space\'s options', () => {
    const text = configReference();
    expect(text).toMatch(/^\| `evaluations` \| integer \| required \| > 0 \| The budget/m);
    expect(text).toMatch(/^\| `llmatic\.mutationProbability` \| number \| `0\.7` \| ≥ 0, ≤ 1 \|/m);
    expect(text).toMatch(/^### `space\.options` of `code`$/m);
    expect(text).toMatch(/^\| `train\.learningRate` \| number \| `0\.01` \| > 0 \|/m);
    expect(text).toMatch(/^\| `dataset` \| string \| `"cifar10"` \| `cifar10`, `cifar100`, `imagenet16-120` \|/m);
  });
});
