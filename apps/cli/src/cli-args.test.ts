import { describe, expect, it } from 'vitest';
import { CliUsageError, parseCli } from './cli-args.ts';
import { formatNb201Report, runNb201Command } from './nb201-command.ts';

describe('parseCli', () => {
  it('resolves per-space defaults', () => {
    expect(parseCli(['--space', 'code'])).toMatchObject({ space: 'code', dataset: 'fashion-mnist', evaluations: 12, trainSubset: 2048, testSubset: 1000 });
    expect(parseCli(['--space', 'code', '--evaluations', '3', '--train-subset', '512'])).toMatchObject({ evaluations: 3, trainSubset: 512, epochs: 1, learningRate: 0.01 });
    expect(parseCli(['--space', 'code', '--epochs', '2', '--learning-rate', '0.05'])).toMatchObject({ epochs: 2, learningRate: 0.05 });
    expect(() => parseCli(['--space', 'code', '--learning-rate', '0'])).toThrow('--learning-rate must be a positive number, got 0');
  });

  it('defaults to a small hybrid NB201 search', () => {
    expect(parseCli([])).toMatchObject({ space: 'nb201', strategy: 'hybrid', dataset: 'cifar10', evaluations: 500, signal: 'val200' });
    expect(parseCli(['--strategy', 'llmatic', '--ablation', 'mutation-only', '--evaluations', '50'])).toMatchObject({ strategy: 'llmatic', ablation: 'mutation-only', evaluations: 50 });
  });

  it('says what was wrong with bad input', () => {
    expect(() => parseCli(['--strategy', 'magic'])).toThrow(CliUsageError);
    expect(() => parseCli(['--strategy', 'magic'])).toThrow(/--strategy/);
    expect(() => parseCli(['--evaluations', 'many'])).toThrow(/--evaluations/);
    expect(() => parseCli(['--evaluations', '0'])).toThrow(/--evaluations/);
    expect(() => parseCli(['--colour'])).toThrow('unknown option --colour (--help lists the options)');
    expect(() => parseCli(['--strategy'])).toThrow('--strategy needs a value');
    expect(() => parseCli(['--strategy', 'magic'])).toThrow(/^--strategy must be one of .*hybrid.*, got magic$/);
    expect(() => parseCli(['stray'])).toThrow(/unexpected argument stray/);
    expect(() => parseCli(['--strategy', 'random', '--ablation', 'mutation-only'])).toThrow(/applies to llmatic and hybrid/);
    expect(() => parseCli(['--space', 'code', '--dataset', 'cifar10'])).toThrow(/code space trains on fashion-mnist/);
    expect(() => parseCli(['--dataset', 'fashion-mnist'])).toThrow(/needs --space code/);
    expect(() => parseCli(['--space', 'code', '--train-subset', '0'])).toThrow('--train-subset must be a positive integer, got 0');
  });


  it('says what is wrong with a negative number, however it is written', () => {
    // Node's parseArgs alone calls `--evaluations -5` an ambiguous option.
    for (const argv of [['--evaluations', '-5'], ['--evaluations=-5']]) {
      expect(() => parseCli(argv)).toThrow(new CliUsageError('--evaluations must be a positive integer, got -5'));
    }
    expect(() => parseCli(['--seed', '-1'])).toThrow('--seed must be a non-negative integer, got -1');
    expect(() => parseCli(['--evaluations', '2.5'])).toThrow('--evaluations must be a positive integer, got 2.5');
    expect(() => parseCli(['--evaluations', '2000000'])).toThrow('--evaluations must be at most 1000000, got 2000000');
    expect(() => parseCli(['--space', 'code', '--learning-rate', '-.5'])).toThrow('--learning-rate must be a positive number, got -.5');
    expect(() => parseCli(['--batch', '0', '--seed', 'x'])).toThrow('--seed must be a non-negative integer, got x; --batch must be a positive integer, got 0');
  });

  it('takes --verbose and --fashion-mnist-dir', () => {
    expect(parseCli(['--space', 'code', '--fashion-mnist-dir', '/data/fm', '--verbose'])).toMatchObject({ fashionMnistDir: '/data/fm', verbose: true });
    expect(parseCli(['--space', 'code'])).toMatchObject({ fashionMnistDir: '/usr/share/datasets/fashion-mnist', verbose: false });
  });
});

describe('runNb201Command', () => {
  it('runs a search on the real table and reports the best cell with its test accuracy, coverage and QD score', async () => {
    const options = parseCli(['--evaluations', '300', '--seed', '3']);
    if (options.space !== 'nb201') throw new Error('expected the nb201 space by default');
    const report = await runNb201Command(options, { openAiApiKey: null });
    expect(report.best).not.toBeNull();
    expect(report.best!.validation).toBeGreaterThan(90); // top cells of CIFAR-10 validation are 91.0–91.6
    expect(report.best!.test200).toBeGreaterThan(93);
    // The hybrid exploits its best region from the 200th result on, so 300 evaluations cover fewer niches than a pure QD search.
    expect(report.archive.coverage).toBeGreaterThan(0.2);
    expect(report.archive.qdScore).toBeGreaterThan(1000);
    const text = formatNb201Report(report);
    expect(text).toContain(report.best!.arch);
    expect(text).toMatch(/coverage \d+% of 100 niches, QD score/);
    expect(text).toContain('rule-based operator (no LLM)');
    expect(report.llm).toMatchObject({ provider: 'rule', model: null });
    expect(report.llm.promptSetHash).toMatch(/^[0-9a-f]{64}$/);
  });
});
