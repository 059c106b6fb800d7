import { UnrecoverableError } from 'bullmq';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { SpaceRegistry } from '@nasfleet/steps';
import type { SearchSpace } from '@nasfleet/steps';
import { createSpaceCache } from './space-cache.ts';

/** A registry with one space, "toy", whose creations are counted; `failNext` makes the next creation throw a plain Error (a file that could not be read). */
function toyRegistry() {
  const made: unknown[] = [];
  let failNext = false;
  const closed: number[] = [];
  const registry = new SpaceRegistry().register({
    name: 'toy',
    description: 'a space for the cache test',
    options: z.object({ size: z.number().int().positive().default(1), tag: z.string().default('') }),
    async create(options) {
      if (failNext) {
        failNext = false;
        throw new Error('could not read the table');
      }
      made.push(options);
      const n = made.length;
      return { name: 'toy', close: async () => void closed.push(n) } as unknown as SearchSpace;
    },
  });
  return { registry, made, closed, failNextCreation: () => (failNext = true) };
}

describe('createSpaceCache', () => {
  it('makes one space per ref, whatever the order of its keys, and closes each once', async () => {
    const toy = toyRegistry();
    const cache = createSpaceCache(toy.registry);
    const a = await cache.get({ name: 'toy', options: { size: 2, tag: 'x' } });
    const b = await cache.get({ name: 'toy', options: { tag: 'x', size: 2 } });
    const c = await cache.get({ options: { size: 2, tag: 'x' }, name: 'toy' });
    const d = await cache.get({ name: 'toy', options: { size: 3, tag: 'x' } });
    expect(b).toBe(a);
    expect(c).toBe(a);
    expect(d).not.toBe(a);
    expect(toy.made).toEqual([{ size: 2, tag: 'x' }, { size: 3, tag: 'x' }]);
    await cache.close();
    expect(toy.closed.sort()).toEqual([1, 2]);
  });

  it('fails a ref the registry refuses without retries, and retries a space that could not be made', async () => {
    const toy = toyRegistry();
    const cache = createSpaceCache(toy.registry);
    await expect(cache.get({ name: 'nope', options: {} })).rejects.toThrow(UnrecoverableError);
    await expect(cache.get({ name: 'toy', options: { size: -1 } })).rejects.toThrow(/options of space "toy" are invalid/);
    toy.failNextCreation();
    const failed = cache.get({ name: 'toy', options: { size: 1 } });
    await expect(failed).rejects.toThrow('could not read the table');
    await expect(failed).rejects.not.toThrow(UnrecoverableError);
    // Not cached: the next job's try makes it.
    await expect(cache.get({ name: 'toy', options: { size: 1 } })).resolves.toMatchObject({ name: 'toy' });
    expect(toy.made).toEqual([{ size: 1, tag: '' }]);
  });
});
