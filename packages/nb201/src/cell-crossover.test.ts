import { describe, expect, it } from 'vitest';
import { Rng } from '@nasfleet/contracts';
import { crossoverCells } from './cell-crossover.ts';
import { hammingDistance, sameCell } from './cell-space.ts';
import type { Cell } from './cell-space.ts';

const A: Cell = [3, 3, 3, 3, 3, 3];
const B: Cell = [0, 1, 2, 4, 0, 1];
const C: Cell = [2, 2, 2, 2, 2, 2];

describe('crossoverCells', () => {
  it('at temperature 0 takes every edge from a parent, mixing both', () => {
    const fromB = new Set<number>();
    for (let seed = 0; seed < 50; seed++) {
      const child = crossoverCells([A, B], 0, Rng.fromSeed(seed));
      child.forEach((op, e) => expect([A[e], B[e]]).toContain(op));
      expect(sameCell(child, A) || sameCell(child, B)).toBe(false);
      child.forEach((op, e) => op === B[e] && fromB.add(e));
    }
    expect(fromB.size).toBe(6);
  });

  it('merges three parents and never copies one', () => {
    for (let seed = 0; seed < 50; seed++) {
      const child = crossoverCells([A, B, C], 0.5, Rng.fromSeed(seed));
      for (const p of [A, B, C]) expect(sameCell(child, p)).toBe(false);
    }
  });

  it('still makes a new cell when parents differ in one edge or not at all', () => {
    const A2: Cell = [3, 3, 3, 3, 3, 0];
    for (let seed = 0; seed < 30; seed++) {
      const child = crossoverCells([A, A2], 0, Rng.fromSeed(seed));
      expect(sameCell(child, A) || sameCell(child, A2)).toBe(false);
      expect(hammingDistance(child, A)).toBe(1);
      expect(hammingDistance(crossoverCells([A, A], 0, Rng.fromSeed(seed)), A)).toBe(1);
    }
  });

  it('puts in more random ops at higher temperature', () => {
    const foreign = (t: number) => {
      let n = 0;
      for (let seed = 0; seed < 200; seed++) crossoverCells([A, C], t, Rng.fromSeed(seed)).forEach((op) => (n += op !== 3 && op !== 2 ? 1 : 0));
      return n;
    };
    expect(foreign(1)).toBeGreaterThan(foreign(0.1) * 2);
    expect(() => crossoverCells([], 0.5, Rng.fromSeed(1))).toThrow(RangeError);
  });
});
