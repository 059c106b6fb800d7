import { beforeAll, describe, expect, it } from 'vitest';
import type { PromptChoice } from '@nasfleet/contracts';
import { loadNb201Table } from './nb201-table.ts';
import type { Nb201Table } from './nb201-table.ts';
import { NB201_INITIAL_CELL } from './nb201-space.ts';
import { runNb201Search } from './run-nb201-search.ts';

const prompts: PromptChoice[] = ['improve', 'add-conv', 'add-residual', 'remove-layer', 'add-pooling'].map((intent) => ({ id: intent, intent }));
const crossoverPrompt = { id: 'crossover', intent: 'crossover' };
let table: Nb201Table;
beforeAll(() => {
  table = loadNb201Table();
});

describe('runNb201Search', () => {
  it('starts from the tiny one-conv cell and reports the test accuracy of the best-by-validation cell', async () => {
    const report = await runNb201Search({ table, dataset: 'cifar10', signal: 'val12', config: { strategy: 'llmatic', seed: 2 }, prompts, crossoverPrompt, evaluations: 300, checkpoints: [100, 300] });
    const first = report.engine.candidates()[0]!;
    expect(first.artifact).toBe(NB201_INITIAL_CELL);
    const best = report.best!;
    const index = table.indexOf(best.arch);
    // The search saw 12-epoch validation; the report quotes that cell's 200-epoch test accuracy.
    expect(best.fitness).toBe(table.value(index, 'cifar10', 'val12'));
    expect(best.test200).toBe(table.value(index, 'cifar10', 'test200'));
    const seen = report.engine.candidates().map((c) => (c.result?.outcome.status === 'ok' ? c.result.outcome.fitness : -1));
    expect(best.fitness).toBe(Math.max(...seen));
    expect(report.atCheckpoint[100]!.fitness).toBeLessThanOrEqual(report.atCheckpoint[300]!.fitness);
    expect(report.coverage).toBeGreaterThan(0.3);
  });

  it('counts evaluations to the first top-0.1% cell by 200-epoch validation', async () => {
    const report = await runNb201Search({ table, dataset: 'cifar10', signal: 'val200', config: { strategy: 'regularized-evolution', seed: 1 }, prompts, crossoverPrompt, evaluations: 1500 });
    const top = table.topFraction('cifar10', 'val200', 0.001);
    const order = report.engine.candidates().filter((c) => c.result?.metrics);
    const firstTop = order.findIndex((c) => top.indices.has(c.result!.metrics!.index!));
    expect(report.firstTopHit).toBe(firstTop >= 0 ? firstTop + 1 : null);
  });

  it('counts distinct trainings: a duplicate cell is looked up again but would be answered from a cache', async () => {
    const told: string[] = [];
    const report = await runNb201Search({
      table, dataset: 'cifar100', signal: 'val200', config: { strategy: 'regularized-evolution', seed: 4 }, prompts, crossoverPrompt, evaluations: 600,
      mode: 'steady', inFlight: 16, orderSeed: 7, onResult: (r) => told.push(r.artifact!),
    });
    const hit = report.firstTopHit!;
    expect(hit).toBeGreaterThan(0);
    expect(report.firstTopHitTrainings).toBe(new Set(told.slice(0, hit)).size);
    expect(report.trainings).toBe(new Set(told).size);
    // REA's duplicates are about a third of its evaluations.
    expect(report.trainings).toBeLessThan(0.85 * 600);
    const again = await runNb201Search({
      table, dataset: 'cifar100', signal: 'val200', config: { strategy: 'regularized-evolution', seed: 4 }, prompts, crossoverPrompt, evaluations: 600,
      mode: 'steady', inFlight: 16, orderSeed: 7, stopAtTopHit: true,
    });
    expect(again.firstTopHit).toBe(hit);
    // Stopped at the hit: what was in flight is told, nothing more is asked.
    expect(again.engine.progress().told).toBeLessThan(hit + 16);
  });

  it('records the pick when the n-th distinct cell is told, and runs just far enough to train n distinct cells', async () => {
    const base = { table, dataset: 'cifar100' as const, signal: 'val200' as const, config: { strategy: 'regularized-evolution' as const, seed: 5 }, prompts, crossoverPrompt, mode: 'steady' as const, inFlight: 16, orderSeed: 3 };
    const told: { arch: string; fitness: number }[] = [];
    const report = await runNb201Search({
      ...base, evaluations: 500, trainingCheckpoints: [200, 300, 10_000],
      onResult: (r) => told.push({ arch: r.artifact!, fitness: r.outcome.status === 'ok' ? r.outcome.fitness : -Infinity }),
    });
    for (const n of [200, 300]) {
      // The told prefix that holds n distinct cells, ending on the n-th new one.
      const seen = new Set<string>();
      const end = told.findIndex((t) => seen.add(t.arch).size === n);
      const prefix = told.slice(0, end + 1);
      expect(prefix.length).toBeGreaterThan(n); // REA repeats cells, so n trainings take more evaluations
      expect(report.atTrainings[n]!.fitness).toBe(Math.max(...prefix.map((t) => t.fitness)));
    }
    expect(report.atTrainings[10_000]).toBeUndefined(); // never reached within the evaluations
    const longer = await runNb201Search({ ...base, evaluations: 5000, trainingCheckpoints: [400], stopAtTrainings: 400 });
    expect(longer.trainings).toBeGreaterThanOrEqual(400);
    expect(longer.atTrainings[400]).toBeDefined();
    // It stopped asking at the 400th distinct cell: only what was in flight then was told after it.
    expect(longer.trainings).toBeLessThan(400 + 16);
    expect(longer.engine.progress().told).toBeLessThan(1000);
  });

  it('the neutral operator is a different search from the expert one, and both are reproducible', async () => {
    const run = (operator: 'neutral' | 'expert') =>
      runNb201Search({ table, dataset: 'cifar10', signal: 'val200', operator, config: { strategy: 'llmatic', seed: 3 }, prompts, crossoverPrompt, evaluations: 120 })
        .then((r) => r.engine.candidates().map((c) => c.artifact));
    const neutral = await run('neutral');
    expect(await run('neutral')).toEqual(neutral);
    expect(await run('expert')).not.toEqual(neutral);
  });

  it('records operator failures as failed candidates, not crashes', async () => {
    const broken = async (request: { id: string }) => ({ id: request.id, answer: 'not a cell', feedback: null, calls: [] });
    const report = await runNb201Search({ table, dataset: 'cifar10', signal: 'val200', config: { strategy: 'random' }, prompts, crossoverPrompt, evaluations: 20, generate: broken });
    expect(report.failures).toBe(20);
    expect(report.best).toBeNull();
    expect(report.engine.candidates()[0]!.result!.outcome).toMatchObject({ status: 'failed', failure: { class: 'invalid-artifact' } });
  });
});
