import { assertCell, EDGES, OP } from './cell-space.ts';
import type { Cell } from './cell-space.ts';
import type { Nb201Dataset } from './nb201-table.ts';

/** Names of the two network-archive descriptors, in order. */
export const NB201_DESCRIPTOR_NAMES = ['log10Flops', 'topology'] as const;

/** Descriptor names and [low, high] bounds for a CVT archive over NB201 cells. */
export interface Nb201DescriptorSpec {
  names: readonly string[];
  bounds: [number, number][];
}

// Table minima/maxima of FLOPs (millions), rounded outwards: all 15,625 cells lie inside.
const FLOPS_RANGE: Record<Nb201Dataset, [number, number]> = {
  cifar10: [7.78, 220.13],
  cifar100: [7.78, 220.13],
  'imagenet16-120': [1.95, 55.04],
};

/** Upper bound of `cellTopology`: 6 live edges, all skip connections. */
export const TOPOLOGY_MAX = 6 + 6 / 7;

/**
 * Descriptor names and bounds for a dataset: log10 of the network's MFLOPs (table min..max) and
 * `cellTopology` (0..6⁶⁄₇). With a 100-niche CVT archive the full table covers 85 niches (seed 0).
 * Log FLOPs because most cells have few 3x3 convs: a linear scale would leave the cheap end,
 * where 60% of the cells sit, in a handful of niches.
 */
export function describeBounds(dataset: Nb201Dataset): Nb201DescriptorSpec {
  const [lo, hi] = FLOPS_RANGE[dataset];
  return { names: NB201_DESCRIPTOR_NAMES, bounds: [[Math.log10(lo), Math.log10(hi)], [0, TOPOLOGY_MAX]] };
}

/** Which edges lie on some input→output path of non-`none` ops (the edges that affect the output). */
export function liveEdges(cell: Cell): boolean[] {
  assertCell(cell);
  const fromInput = [true, false, false, false];
  EDGES.forEach(([from, to], i) => {
    if (cell[i] !== OP.none && fromInput[from]) fromInput[to] = true;
  });
  const toOutput = [false, false, false, true];
  for (let i = EDGES.length - 1; i >= 0; i--) {
    const [from, to] = EDGES[i]!;
    if (cell[i] !== OP.none && toOutput[to]) toOutput[from] = true;
  }
  return EDGES.map(([from, to], i) => cell[i] !== OP.none && fromInput[from] === true && toOutput[to] === true);
}

/**
 * A shape feature of the cell: the number of live edges (how much of the DAG the signal flows
 * through, 0..6) plus skip_connect count / 7 (how residual it is) as a fraction that separates cells
 * of equal size. Ranges over [0, TOPOLOGY_MAX].
 */
export function cellTopology(cell: Cell): number {
  const live = liveEdges(cell).filter(Boolean).length;
  const skips = cell.filter((op) => op === OP.skip).length;
  return live + skips / 7;
}

/** Raw descriptors of a cell, in `NB201_DESCRIPTOR_NAMES` order, given its FLOPs in millions. */
export function cellDescriptors(cell: Cell, flopsM: number): number[] {
  if (!(flopsM > 0)) throw new RangeError(`FLOPs must be positive, got ${flopsM}`);
  return [Math.log10(flopsM), cellTopology(cell)];
}
