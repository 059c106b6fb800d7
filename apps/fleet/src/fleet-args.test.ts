import { describe, expect, it } from 'vitest';
import { FleetUsageError, parseFleetArgs, searchSpecOf } from './fleet-args.ts';

describe('npm run fleet arguments', () => {
  it('defaults to an NB201 search with the rule-based operators, one LLM and one training worker', () => {
    const o = parseFleetArgs([])!;
    expect(o).toMatchObject({ space: 'nb201', dataset: 'cifar10', strategy: 'llmatic', llm: 'rule', llmWorkers: 1, trainWorkers: 1, port: 0, keep: false });
    expect(searchSpecOf(o)).toEqual({
      space: { name: 'nb201', options: { dataset: 'cifar10' } }, config: { strategy: 'llmatic', seed: 0 }, evaluations: 100,
      llm: { provider: 'rule', endpoint: null, generatorModel: null, improverModel: null }, replay: false,
    });
    expect(parseFleetArgs(['--help'])).toBeNull();
  });

  it('points the workers at an Ollama with a model, and takes the search\'s shape', () => {
    const o = parseFleetArgs(['--llm', 'ollama', '--ollama-host', 'http://gpu-box:11434', '--model', 'qwen2.5-coder:14b', '--space', 'code', '--evaluations', '12', '--depth', '5', '--seed', '3', '--llm-workers', '2', '--train-workers', '4'])!;
    expect(searchSpecOf(o)).toEqual({
      space: { name: 'code', options: { dataset: 'fashion-mnist' } }, config: { strategy: 'llmatic', seed: 3 }, evaluations: 12, depth: 5,
      llm: { provider: 'ollama', endpoint: 'http://gpu-box:11434', generatorModel: 'qwen2.5-coder:14b', improverModel: 'qwen2.5-coder:14b' }, replay: false,
    });
    expect(o).toMatchObject({ llmWorkers: 2, trainWorkers: 4 });
    expect(searchSpecOf(parseFleetArgs(['--llm', 'ollama'])!).llm).toMatchObject({ endpoint: 'http://127.0.0.1:11434', generatorModel: 'qwen2.5-coder:7b' });
  });

  it('names what is wrong in a bad command line', () => {
    const bad: [string[], RegExp][] = [
      [['--space', 'cifar'], /--space must be nb201 or code/],
      [['--evaluations', '0'], /--evaluations must be at least 1/],
      [['--evaluations', 'many'], /--evaluations must be a whole number/],
      [['--llm-workers', '1.5'], /--llm-workers must be a whole number/],
      [['--ollama-host', 'http://x:1'], /--ollama-host needs --llm ollama/],
      [['--llm', 'ollama', '--ollama-host', 'gpu-box'], /--ollama-host must be a URL/],
      [['--model', 'm'], /--model and --improver-model need --llm ollama or openai/],
      [['--space', 'code', '--train-workers', '0'], /needs --train-workers 1 or more/],
      [['--bogus'], /Unknown option '--bogus'/],
      [['extra'], /Unexpected argument 'extra'/],
    ];
    for (const [argv, message] of bad) {
      expect(() => parseFleetArgs(argv)).toThrow(FleetUsageError);
      expect(() => parseFleetArgs(argv)).toThrow(message);
    }
  });
});
