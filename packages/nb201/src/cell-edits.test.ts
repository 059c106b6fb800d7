import { describe, expect, it } from 'vitest';
import { MutationIntent, Rng } from '@nasfleet/contracts';
import { applyIntent, editStrength } from './cell-edits.ts';
import type { EditResult } from './cell-edits.ts';
import { hammingDistance, isConnected, OP, sampleCell } from './cell-space.ts';
import type { Cell, OpCode } from './cell-space.ts';
import { readMemory } from './edit-memory.ts';

const SEEDS = Array.from({ length: 40 }, (_, i) => i + 1);
const run = (cell: Cell, intent: MutationIntent, temperature = 0.1, seed = 1): EditResult => applyIntent(cell, intent, { rng: Rng.fromSeed(seed), temperature });
const { none, skip, conv1x1: c1, conv3x3: c3, avgPool: pool } = OP;

/** For every seed, every change must go from an op in `from` to an op in `to`. */
function expectEdits(cell: Cell, intent: MutationIntent, from: OpCode[], to: OpCode[], extra?: (r: EditResult) => void) {
  for (const seed of SEEDS) {
    const r = run(cell, intent, 0.1, seed);
    expect(r.applied).toBe(intent);
    expect(r.changes.length).toBeGreaterThan(0);
    for (const c of r.changes) {
      expect(from).toContain(cell[c.edge]);
      expect(to).toContain(c.op);
      expect(r.cell[c.edge]).toBe(c.op);
    }
    expect(hammingDistance(cell, r.cell)).toBe(r.changes.length);
    extra?.(r);
  }
}

describe('applyIntent: each intent does what it says', () => {
  const mixed: Cell = [c1, none, pool, c3, skip, none];
  it('add-layer fills a missing (none) edge with a conv', () => expectEdits(mixed, 'add-layer', [none], [c1, c3]));
  it('add-conv turns a weak edge into a conv, none edges first', () => expectEdits(mixed, 'add-conv', [none], [c1, c3]));
  it('improve upgrades the weakest op to a 3x3 conv', () => expectEdits([c1, c3, pool, skip, c3, c1], 'improve', [pool], [c3]));
  it('remove-layer sets a conv to none and keeps the output connected', () =>
    expectEdits(mixed, 'remove-layer', [c1, c3], [none], (r) => expect(isConnected(r.cell)).toBe(true)));
  it('add-dropout drops a redundant edge without cutting the output off', () =>
    expectEdits([c3, c3, c3, skip, pool, c3], 'add-dropout', [pool], [none], (r) => expect(isConnected(r.cell)).toBe(true)));
  it('add-pooling adds an avg_pool', () => expectEdits(mixed, 'add-pooling', [none], [pool]));
  it('add-residual puts a skip on the block residual 0->3 first', () => expectEdits(mixed, 'add-residual', [c3], [skip], (r) => expect(r.cell[3]).toBe(skip)));
  it('add-residuals adds at least two skips', () => expectEdits(mixed, 'add-residuals', [c3, none], [skip], (r) => expect(r.changes.length).toBe(2)));
  it('add-dense adds a pointwise (1x1) conv', () => expectEdits(mixed, 'add-dense', [none], [c1]));
  it('add-normalisation turns a pool/skip into a normalised 1x1 conv', () => expectEdits([c3, c3, pool, skip, c3, c3], 'add-normalisation', [pool], [c1]));
  it('change-activation swaps skip and avg_pool', () => expectEdits([c3, c3, pool, skip, skip, c3], 'change-activation', [pool, skip], [skip, pool]));
  it('widen turns 1x1 into 3x3', () => expectEdits(mixed, 'widen', [c1], [c3]));
  it('narrow turns 3x3 into 1x1', () => expectEdits(mixed, 'narrow', [c3], [c1]));
  it('grow-drastically makes several edges 3x3 convs', () =>
    expectEdits([none, pool, skip, skip, c1, none], 'grow-drastically', [none, pool, skip, c1], [c3], (r) => expect(r.changes.length).toBeGreaterThanOrEqual(2)));
  it('shrink-drastically removes several convs', () =>
    expectEdits([c3, c3, c3, c3, c3, c3], 'shrink-drastically', [c3], [none, skip], (r) => expect(r.changes.length).toBeGreaterThanOrEqual(2)));
});

describe('applyIntent: fallbacks, strength, memory', () => {
  it('never returns the cell unchanged, for any intent, cell and temperature', () => {
    const rng = Rng.fromSeed(99);
    for (let i = 0; i < 60; i++) {
      const cell = i === 0 ? ([0, 0, 0, 0, 0, 0] as Cell) : i === 1 ? ([3, 3, 3, 3, 3, 3] as Cell) : sampleCell(rng);
      for (const intent of MutationIntent.options) {
        const r = applyIntent(cell, intent, { rng, temperature: rng.uniform(0.1, 1) });
        expect(hammingDistance(cell, r.cell)).toBeGreaterThan(0);
      }
    }
  });

  it('falls back to the nearest applicable edit and says so', () => {
    const noOneByOne: Cell = [c3, none, c3, skip, none, c3];
    const widen = run(noOneByOne, 'widen');
    expect(widen.applied).toBe('add-dense');
    expect(widen.changes.every((c) => c.op === c1)).toBe(true);
    const grow = run([c3, c3, c3, c3, c3, c3], 'grow-drastically');
    expect(grow.applied).toBe('add-residual');
    expect(grow.changes).toEqual([{ edge: 3, op: skip }]);
    expect(run([skip, skip, skip, skip, skip, skip], 'narrow').applied).toBe('any-edit');
  });

  it('makes more edits at high temperature', () => {
    const cell: Cell = [none, pool, skip, skip, c1, none];
    const mean = (t: number, intent: MutationIntent, on = cell) => SEEDS.reduce((s, seed) => s + run(on, intent, t, seed).changes.length, 0) / SEEDS.length;
    for (const intent of ['add-conv', 'grow-drastically', 'add-residuals'] as const) expect(mean(1, intent)).toBeGreaterThan(mean(0.1, intent));
    const big: Cell = [c3, c3, c3, c3, c3, c3];
    expect(mean(1, 'shrink-drastically', big)).toBeGreaterThan(mean(0.1, 'shrink-drastically', big) + 1);
    expect(mean(1, 'widen', [c1, c1, c1, c1, skip, none])).toBeGreaterThan(2.5);
    expect(mean(0.1, 'add-conv')).toBe(1);
    expect(mean(0.1, 'grow-drastically')).toBe(2);
    expect(editStrength(0.1)).toBe(0);
    expect(editStrength(1)).toBe(1);
    expect(editStrength(5)).toBe(1);
  });

  it('skips assignments the memory marks as harmful and reuses ones that helped', () => {
    const cell: Cell = [c1, none, pool, c3, skip, none];
    const outcome = (fitness: number) => ({ status: 'ok' as const, fitness });
    for (const seed of SEEDS) {
      const plain = applyIntent(cell, 'add-conv', { rng: Rng.fromSeed(seed), temperature: 0.1 });
      const [c] = plain.changes;
      const hurtLabel = ['0->1', '0->2', '1->2', '0->3', '1->3', '2->3'][c!.edge];
      const opName = ['none', 'skip_connect', 'nor_conv_1x1', 'nor_conv_3x3', 'avg_pool_3x3'][c!.op];
      const hurt = readMemory([{ candidateId: 'a', problem: '', suggestion: `set edge ${hurtLabel} to ${opName}`, intent: 'add-conv', outcome: outcome(80), baseline: 85 }]);
      const withMemory = applyIntent(cell, 'add-conv', { rng: Rng.fromSeed(seed), temperature: 0.1, lessons: hurt });
      expect(withMemory.changes).not.toContainEqual(c);
      const helped = readMemory([{ candidateId: 'b', problem: '', suggestion: 'set edge 2->3 to nor_conv_1x1', outcome: outcome(90), baseline: 85 }]);
      expect(applyIntent(cell, 'add-conv', { rng: Rng.fromSeed(seed), temperature: 0.1, lessons: helped }).changes).toEqual([{ edge: 5, op: c1 }]);
    }
  });
});
