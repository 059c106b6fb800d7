import type { Rng } from '@nasfleet/contracts';
import { sameCell, withEdge } from './cell-space.ts';
import type { Cell, OpCode } from './cell-space.ts';

/**
 * Merges parents edge by edge: each edge takes the op of a uniformly chosen parent, or with
 * probability `temperature / 6` a random op (so about `temperature` random edges per 6-edge cell
 * at most, rather than a mostly random child). The child is never a copy of a parent: when the
 * draw reproduces one, an edge where parents disagree is switched to another parent's op, and if
 * that still copies a parent, to an op no parent has there. Identical parents get one random edge
 * changed, since a copy would waste an evaluation. Throws RangeError without parents.
 */
export function crossoverCells(parents: readonly Cell[], temperature: number, rng: Rng): Cell {
  if (parents.length === 0) throw new RangeError('crossover needs at least one parent');
  const pRandom = Math.min(1, Math.max(0, temperature)) / 6;
  let child: Cell = Array.from({ length: 6 }, (_, e) => (rng.chance(pRandom) ? (rng.int(0, 4) as OpCode) : rng.pick(parents)[e]!));
  const copied = () => parents.find((p) => sameCell(p, child));
  const disagree = [0, 1, 2, 3, 4, 5].filter((e) => parents.some((p) => p[e] !== parents[0]![e]));

  const copy = copied();
  if (copy && disagree.length > 0) {
    // Take one differing edge from another parent: a real mix when the parents differ in ≥ 2 edges.
    const options = disagree.flatMap((e) => parents.filter((p) => p[e] !== copy[e]).map((p) => ({ e, op: p[e]! })));
    const { e, op } = rng.pick(options);
    child = withEdge(child, e, op);
  }
  if (copied()) {
    const edges = disagree.length > 0 ? disagree : [0, 1, 2, 3, 4, 5];
    const e = rng.pick(edges);
    const fresh = ([0, 1, 2, 3, 4] as OpCode[]).filter((op) => parents.every((p) => p[e] !== op));
    // With 5+ parents every op may be taken; then any other op at least moves off the copy.
    child = withEdge(child, e, rng.pick(fresh.length > 0 ? fresh : ([0, 1, 2, 3, 4] as OpCode[]).filter((op) => op !== child[e])));
  }
  return child;
}
