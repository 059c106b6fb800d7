import { describe, expect, it } from 'vitest';
import { CliUsageError, parseCli } from './cli-args.ts';
import { formatNb201Report, runNb201Command } from './nb201-command.ts';

describe('parseCli', () => {
  it('resolves per-space defaults', () => {
    expect(parseCli(['--space', 'code'])).toMatchObject({ space: 'code', dataset: 'fashion-mnist', evaluations: 12, trainSubset: 2048, testSubset: 1000 });
    expect(parseCli(['--space', 'code', '--evaluations', '3', '--train-subset', '512'])).toMatchObject({ evaluations: 3, trainSubset: 512, epochs: 1, learningRate: 0.01 });
    expect(parseCli(['--space', 'code', '--epochs', '2', '--learning-rate', '0.05'])).toMatchObject({ epochs: 2, learningRate: 0.05 });
    expect(() => parseCli(['--space', 'code', '--learning-rate', '0'])).toThrow(/learningRate/);
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
    expect(() => parseCli(['--colour'])).toThrow(/colour/);
    expect(() => parseCli(['--strategy', 'random', '--ablation', 'mutation-only'])).toThrow(/applies to llmatic and hybrid/);
    expect(() => parseCli(['--space', 'code', '--dataset', 'cifar10'])).toThrow(/code space trains on fashion-mnist/);
    expect(() => parseCli(['--dataset', 'fashion-mnist'])).toThrow(/needs --space code/);
    expect(() => parseCli(['--space', 'code', '--train-subset', '0'])).toThrow(/trainSubset/);
  });
});

describe('runNb201Command', () => {
  it('runs a search on the real table and reports the best cell with its test accuracy, coverage and QD score', () => {
    const options = parseCli(['--evaluations', '300', '--seed', '3']);
    if (options.space !== 'nb201') throw new Error('expected the nb201 space by default');
    const report = runNb201Command(options);
    expect(report.best).not.toBeNull();
    expect(report.best!.validation).toBeGreaterThan(90); // top cells of CIFAR-10 validation are 91.0–91.6
    expect(report.best!.test200).toBeGreaterThan(93);
    expect(report.archive.coverage).toBeGreaterThan(0.3);
    expect(report.archive.qdScore).toBeGreaterThan(1000);
    const text = formatNb201Report(report);
    expect(text).toContain(report.best!.arch);
    expect(text).toMatch(/coverage \d+% of 100 niches, QD score/);
  });
});
