import { describe, expect, it } from 'vitest';
import { Rng } from './rng.ts';

describe('Rng', () => {
  it('is reproducible from a seed and from its state', () => {
    const a = Rng.fromSeed(42);
    const b = Rng.fromSeed(42);
    expect(Array.from({ length: 5 }, () => a.float())).toEqual(Array.from({ length: 5 }, () => b.float()));
    const c = Rng.fromState(a.state());
    expect(c.int(0, 1000)).toBe(a.int(0, 1000));
  });

  it('gives unrelated first draws for consecutive seeds', () => {
    // First draw of seeds 0..199 on a 50-value range: close to uniform, not a handful of values.
    const firsts = Array.from({ length: 200 }, (_, s) => Rng.fromSeed(s).int(0, 49));
    expect(new Set(firsts).size).toBeGreaterThan(40);
    const floats = Array.from({ length: 200 }, (_, s) => Rng.fromSeed(s).float());
    const mean = floats.reduce((x, y) => x + y, 0) / floats.length;
    expect(mean).toBeGreaterThan(0.4);
    expect(mean).toBeLessThan(0.6);
  });

  it('draws within bounds, picks, samples without replacement and refuses an empty pick', () => {
    const rng = Rng.fromSeed(1);
    for (let i = 0; i < 1000; i++) {
      const v = rng.int(-3, 3);
      expect(v).toBeGreaterThanOrEqual(-3);
      expect(v).toBeLessThanOrEqual(3);
      const f = rng.uniform(2, 5);
      expect(f).toBeGreaterThanOrEqual(2);
      expect(f).toBeLessThan(5);
    }
    const sample = rng.sample([1, 2, 3, 4, 5, 6], 4);
    expect(new Set(sample).size).toBe(4);
    expect(() => rng.pick([])).toThrow(/empty/);
  });
});
