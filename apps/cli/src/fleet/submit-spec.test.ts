import { describe, expect, it } from 'vitest';
import { SubmitOptions } from './fleet-args.ts';
import { buildSubmission, parseSpecText } from './submit-spec.ts';

const flags = (o: Record<string, unknown>) => SubmitOptions.parse(o);

describe('buildSubmission', () => {
  it('without a file: the local run\'s defaults (an NB201 hybrid search of 500, the rule operators)', () => {
    expect(buildSubmission(null, flags({}))).toEqual({ space: { name: 'nb201', options: {} }, config: { strategy: 'hybrid' }, evaluations: 500, llm: { provider: 'rule' } });
    expect(buildSubmission(null, flags({ space: 'code', epochs: '2', trainSubset: '256' }))).toMatchObject({ space: { name: 'code', options: { train: { epochs: 2, trainSubset: 256 } } }, evaluations: 12 });
  });

  it('writes the flags over the file, keeping the rest of it', () => {
    const file = { space: { name: 'code', options: { train: { batchSize: 64, epochs: 1 }, caps: { maxParams: 1e5 } } }, config: { strategy: 'llmatic', llmatic: { ablation: 'none' } }, evaluations: 3, llm: { provider: 'ollama', generatorModel: 'm', endpoint: 'http://o:1' } };
    const spec = buildSubmission(file, flags({ epochs: '3', evaluations: '7', seed: '4', model: 'n', id: 'mine' }));
    expect(spec).toEqual({
      space: { name: 'code', options: { train: { batchSize: 64, epochs: 3 }, caps: { maxParams: 1e5 } } },
      config: { strategy: 'llmatic', llmatic: { ablation: 'none' }, seed: 4 }, evaluations: 7,
      llm: { provider: 'ollama', generatorModel: 'n', endpoint: 'http://o:1' }, id: 'mine',
    });
    expect(file.space.options.train.epochs).toBe(1); // the file's object is not changed
    // Another space than the file's: the file's options were for its space.
    expect(buildSubmission(file, flags({ space: 'nb201' })).space).toEqual({ name: 'nb201', options: {} });
    expect(buildSubmission(null, flags({ llm: 'ollama' })).llm).toEqual({ provider: 'ollama', generatorModel: 'qwen2.5-coder:7b' });
  });

  it('refuses flags that do not fit the space or the LLM, and names a file\'s mistakes', () => {
    expect(() => buildSubmission(null, flags({ epochs: '2' }))).toThrow('--epochs applies to --space code (NAS-Bench-201 cells are looked up, not trained)');
    expect(() => buildSubmission(null, flags({ space: 'code', signal: 'val12' }))).toThrow(/^--signal applies to --space nb201/);
    expect(() => buildSubmission(null, flags({ dataset: 'fashion-mnist' }))).toThrow(/^--dataset fashion-mnist needs --space code/);
    expect(() => buildSubmission(null, flags({ model: 'm' }))).toThrow('--model applies to --llm ollama or --llm openai (--llm rule uses no LLM)');
    expect(() => buildSubmission({ space: 'nb201' }, flags({}), 'spec.json')).toThrow('spec.json.space must be a JSON object, got "nb201"');
    expect(() => parseSpecText('{"a":', 'spec.json')).toThrow(/^spec\.json is not JSON: /);
    expect(() => parseSpecText('[1]', 'spec.json')).toThrow('spec.json must hold a JSON object (a search spec: docs/api.md), got an array');
  });
});
