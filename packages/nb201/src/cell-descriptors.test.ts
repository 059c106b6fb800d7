import { describe, expect, it } from 'vitest';
import { createArchive, nicheOf } from '@nasfleet/search';
import { cellDescriptors, cellTopology, describeBounds, liveEdges, TOPOLOGY_MAX } from './cell-descriptors.ts';
import { loadNb201Table } from './nb201-table.ts';

const table = loadNb201Table();

describe('cell descriptors', () => {
  it('counts live edges and skips in the topology feature', () => {
    // ResNet-like: 0->1 conv, 1->2 conv, 0->3 skip, 2->3 skip are live; 0->2 and 1->3 are none.
    expect(liveEdges([3, 0, 3, 1, 0, 1])).toEqual([true, false, true, true, false, true]);
    expect(cellTopology([3, 0, 3, 1, 0, 1])).toBeCloseTo(4 + 2 / 7, 10);
    // A conv on 0->1 whose node 1 never reaches the output is dead.
    expect(liveEdges([3, 0, 0, 1, 0, 0])).toEqual([false, false, false, true, false, false]);
    expect(cellTopology([1, 1, 1, 1, 1, 1])).toBeCloseTo(TOPOLOGY_MAX, 10);
    expect(cellTopology([0, 0, 0, 0, 0, 0])).toBe(0);
    expect(() => cellDescriptors([0, 0, 0, 0, 0, 0], 0)).toThrow(RangeError);
  });

  it.each(['cifar10', 'cifar100', 'imagenet16-120'] as const)('bounds of %s hold every cell, tightly', (dataset) => {
    const { names, bounds } = describeBounds(dataset);
    expect(names).toEqual(['log10Flops', 'topology']);
    const flops = table.column(dataset, 'flops');
    const xs = Array.from(flops, (f) => Math.log10(f));
    const [lo, hi] = bounds[0]!;
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(lo);
    expect(Math.max(...xs)).toBeLessThanOrEqual(hi);
    expect(Math.min(...xs) - lo).toBeLessThan(0.01 * (hi - lo));
    expect(hi - Math.max(...xs)).toBeLessThan(0.01 * (hi - lo));
  });

  it('spreads the full table over most niches of a 100-niche CVT archive', () => {
    for (const dataset of ['cifar10', 'imagenet16-120'] as const) {
      const archive = createArchive({ niches: 100, bounds: describeBounds(dataset).bounds, seed: 0 });
      const flops = table.column(dataset, 'flops');
      const niches = new Set<number>();
      for (let i = 0; i < table.size; i++) niches.add(nicheOf(archive, cellDescriptors(table.cellAt(i), flops[i]!)));
      expect(niches.size).toBeGreaterThanOrEqual(80);
    }
  });
});
