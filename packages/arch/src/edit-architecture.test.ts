import { describe, expect, it } from 'vitest';
import { MutationIntent, Rng } from '@nasfleet/contracts';
import { architectureHash } from './canonical.ts';
import { checkArchitecture } from './check-architecture.ts';
import { crossoverArchitectures } from './crossover-architectures.ts';
import { applyIntent } from './edit-architecture.ts';
import { inferShapes } from './infer-shapes.ts';
import { arch, conv, dense } from './test-fixtures.ts';
import { initialArchitecture, randomArchitecture } from './random-architecture.ts';

const ctx = { inputShape: [32, 32, 3], numClasses: 10, maxParams: 5e6 };
const SEEDS = 12;

describe('applyIntent', () => {
  it.each(MutationIntent.options)('%s gives a checked-valid network that differs from its parent, over many seeds', (intent) => {
    let applied = 0;
    for (let s = 0; s < SEEDS; s++) {
      const rng = Rng.fromSeed(1000 + s);
      const parent = s % 3 === 0 ? initialArchitecture(ctx) : randomArchitecture(rng, ctx);
      const r = applyIntent(parent, intent, 0.1 + (s % 10) / 10, rng, ctx);
      if (!r.ok) {
        // Only a removal may find nothing removable, and then it must say so as a classified failure.
        expect(intent).toBe('remove-layer');
        continue;
      }
      applied++;
      expect(checkArchitecture(r.arch, ctx).ok).toBe(true);
      expect(r.hash).not.toBe(architectureHash(parent));
      expect(r.description.length).toBeGreaterThan(0);
    }
    expect(applied).toBeGreaterThanOrEqual(SEEDS - 2);
  });

  it('does what the intent says', () => {
    const seed = initialArchitecture(ctx);
    const count = (a: { nodes: Array<{ op: string }> }, op: string): number => a.nodes.filter((n) => n.op === op).length;
    const run = (intent: MutationIntent, t = 0.5) => {
      const r = applyIntent(seed, intent, t, Rng.fromSeed(3), ctx);
      if (!r.ok) throw new Error(r.failure.message);
      return r;
    };
    expect(count(run('add-conv').arch, 'conv2d')).toBe(2);
    expect(count(run('add-dense').arch, 'dense')).toBe(3);
    expect(count(run('add-dropout').arch, 'dropout')).toBe(1);
    expect(count(run('add-normalisation').arch, 'batchNormalization')).toBe(1);
    expect(count(run('add-pooling').arch, 'maxPooling2d') + count(run('add-pooling').arch, 'averagePooling2d')).toBe(1);
    expect(count(run('add-residual').arch, 'add')).toBe(1);
    expect(count(run('add-residuals').arch, 'add')).toBeGreaterThanOrEqual(2);
    const params = (r: ReturnType<typeof run>): number => r.report.params;
    const seedParams = checkArchitecture(seed, ctx).ok ? 1059854 : 0;
    expect(params(run('widen'))).toBeGreaterThan(seedParams);
    expect(params(run('narrow'))).toBeLessThan(seedParams);
    expect(params(run('grow-drastically', 0.3))).toBeGreaterThan(seedParams);
    expect(params(run('shrink-drastically'))).toBeLessThan(seedParams / 2);
    expect(run('improve').report.descriptors.width).toBeGreaterThan(0);
  });

  it('is deterministic for a seed and classifies a bad parent', () => {
    const a = applyIntent(initialArchitecture(ctx), 'add-layer', 0.7, Rng.fromSeed(9), ctx);
    const b = applyIntent(initialArchitecture(ctx), 'add-layer', 0.7, Rng.fromSeed(9), ctx);
    expect(a).toEqual(b);
    const bad = applyIntent({ nodes: [] }, 'widen', 0.5, Rng.fromSeed(1), ctx);
    expect(bad.ok ? null : bad.failure.class).toBe('invalid-artifact');
  });

  it('respects the caps: a grow that cannot fit is a classified over-budget failure', () => {
    const r = applyIntent(initialArchitecture(ctx), 'grow-drastically', 1, Rng.fromSeed(2), { ...ctx, maxParams: 1_100_000 });
    if (r.ok) expect(r.report.params).toBeLessThanOrEqual(1_100_000);
    else expect(r.failure.class).toBe('over-budget');
  });
});

describe('randomArchitecture and crossoverArchitectures', () => {
  it('draws valid, varied networks', () => {
    const rng = Rng.fromSeed(5);
    const hashes = new Set<string>();
    for (let i = 0; i < 20; i++) {
      const a = randomArchitecture(rng, ctx);
      expect(checkArchitecture(a, ctx).ok).toBe(true);
      hashes.add(architectureHash(a));
    }
    expect(hashes.size).toBeGreaterThan(15);
    const mlp = randomArchitecture(Rng.fromSeed(1), { inputShape: [20], numClasses: 3 });
    expect(checkArchitecture(mlp, { numClasses: 3, inputShape: [20] }).ok).toBe(true);
  });

  it('crosses 2 or 3 parents into a valid child that differs from each', () => {
    for (let s = 0; s < 10; s++) {
      const rng = Rng.fromSeed(s);
      const parents = [randomArchitecture(rng, ctx), randomArchitecture(rng, ctx), initialArchitecture(ctx)].slice(0, 2 + (s % 2));
      const r = crossoverArchitectures(parents, rng, ctx);
      expect(r.ok).toBe(true);
      if (!r.ok) continue;
      expect(checkArchitecture(r.arch, ctx).ok).toBe(true);
      for (const p of parents) expect(r.hash).not.toBe(architectureHash(p));
    }
    const one = crossoverArchitectures([initialArchitecture(ctx), { nodes: 'broken' }], Rng.fromSeed(1), ctx);
    expect(one.ok ? null : one.failure).toMatchObject({ class: 'invalid-artifact', message: expect.stringMatching(/at least 2 valid parents, got 1/) });
  });

  it('never cuts a parent where a skip connection jumps over the cut (the child would read a node it does not have)', () => {
    // "add" reads the input itself: no node of this network is on every input→output path but the ends.
    const skip = arch([
      ['in', 'input', [], { shape: [32, 32, 3] }], ['c1', 'conv2d', ['in'], conv(3, 3, { padding: 'same' })], ['c2', 'conv2d', ['c1'], conv(3, 3, { padding: 'same' })],
      ['sum', 'add', ['c2', 'in'], {}], ['g', 'globalAveragePooling2d', ['sum'], {}], ['out', 'dense', ['g'], dense(10)],
    ]);
    const plain = arch([
      ['in', 'input', [], { shape: [32, 32, 3] }], ['c1', 'conv2d', ['in'], conv(8, 3, { padding: 'same' })], ['c2', 'conv2d', ['c1'], conv(8, 3, { padding: 'same' })],
      ['g', 'globalAveragePooling2d', ['c2'], {}], ['out', 'dense', ['g'], dense(10)],
    ]);
    for (let s = 0; s < 40; s++) {
      const r = crossoverArchitectures(s % 2 ? [skip, plain, skip] : [plain, skip, plain], Rng.fromSeed(s), ctx);
      if (r.ok) expect(checkArchitecture(r.arch, ctx).ok).toBe(true);
      else expect(r.failure.class).not.toBe('shape');
    }
    // A graph that reads a node it does not have is a shape failure of the shape inference, not a TypeError.
    const dangling = arch([['in', 'input', [], { shape: [32, 32, 3] }], ['sum', 'add', ['in', 'gone'], {}]]);
    expect(inferShapes(dangling)).toEqual({ ok: false, failure: { class: 'shape', message: expect.stringMatching(/reads "gone", which is not a node before it/) } });
  });

  it('keeps its refusal of a broken parent', () => {
    const one = crossoverArchitectures([initialArchitecture(ctx), { nodes: 'broken' }], Rng.fromSeed(1), ctx);
    expect(one.ok ? null : one.failure).toMatchObject({ class: 'invalid-artifact', message: expect.stringMatching(/at least 2 valid parents, got 1/) });
  });
});
