import prand from 'pure-rand';
import type { RandomGenerator } from 'pure-rand';

/**
 * A seeded, serialisable random generator (xoroshiro128+ from pure-rand). Every random
 * choice of the engine goes through one of these, so a search is reproducible from its
 * seed and its state can be snapshotted as plain numbers.
 */
export class Rng {
  private gen: RandomGenerator;

  private constructor(gen: RandomGenerator) {
    this.gen = gen;
  }

  /**
   * A generator seeded with a 32-bit integer. The seed is scrambled first (murmur3's finaliser):
   * xoroshiro128+ seeded with nearby integers gives nearly the same first draws, and seeds here
   * are often 0, 1, 2… (runs of a benchmark, training seeds).
   */
  static fromSeed(seed: number): Rng {
    return new Rng(prand.xoroshiro128plus(scramble(seed | 0)));
  }

  /** A generator restored from `state()`. */
  static fromState(state: readonly number[]): Rng {
    return new Rng(prand.xoroshiro128plus.fromState(state));
  }

  /** The generator's state as plain numbers (JSON-safe). */
  state(): number[] {
    return [...this.gen.getState()];
  }

  /** Uniform integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    return prand.unsafeUniformIntDistribution(min, max, this.gen);
  }

  /** Uniform float in [0, 1) with 53 bits of precision. */
  float(): number {
    const hi = prand.unsafeUniformIntDistribution(0, (1 << 26) - 1, this.gen);
    const lo = prand.unsafeUniformIntDistribution(0, (1 << 27) - 1, this.gen);
    return (hi * 134217728 + lo) / 9007199254740992;
  }

  /** Uniform float in [min, max). */
  uniform(min: number, max: number): number {
    return min + (max - min) * this.float();
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.float() < p;
  }

  /** One element chosen uniformly; throws on an empty list. */
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('Rng.pick: empty list');
    return items[this.int(0, items.length - 1)] as T;
  }

  /** k distinct elements chosen uniformly (all of them, shuffled, when k ≥ length). */
  sample<T>(items: readonly T[], k: number): T[] {
    const copy = [...items];
    const n = Math.min(k, copy.length);
    for (let i = 0; i < n; i++) {
      const j = this.int(i, copy.length - 1);
      [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
    }
    return copy.slice(0, n);
  }

  /** A fresh 32-bit seed, for handing randomness to someone else (an operator, a trainer). */
  seed(): number {
    return this.int(0, 0x7fffffff);
  }
}

/** murmur3 fmix32: a bijection on 32-bit integers that spreads nearby inputs far apart. */
function scramble(x: number): number {
  let h = x ^ (x >>> 16);
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h | 0;
}
