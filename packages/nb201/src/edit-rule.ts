import type { MutationIntent, Rng } from '@nasfleet/contracts';
import { edgeIndex } from './cell-space.ts';
import type { Cell, OpCode } from './cell-space.ts';

/** An edit intent: a prompt's `MutationIntent`, or 'any-edit', the last-resort single change. */
export type EditIntent = MutationIntent | 'any-edit';

/** One way of carrying out an intent. Rules are recomputed on the edited cell after every change. */
export interface EditRule {
  /** What the rule amounts to (reported as the applied intent). */
  intent: EditIntent;
  /** Candidate edges, best tier first. */
  tiers(cell: Cell): number[][];
  /** New ops allowed on an edge, best first (never the current op). */
  targets(cell: Cell, edge: number, rng: Rng): OpCode[];
  /** Edits at temperature 0.1 and at 1.0. */
  count: [number, number];
}

/** The edge 0->3: the block-level residual the expert operator keeps. */
export const RESIDUAL_EDGE = edgeIndex(0, 3)!;
export const ALL_EDGES = [0, 1, 2, 3, 4, 5];

/** The edges whose op (and index) satisfy `pred`. */
export const where = (cell: Cell, pred: (op: OpCode, edge: number) => boolean) => ALL_EDGES.filter((e) => pred(cell[e]!, e));
/** A predicate: the op is one of `ops`. */
export const is = (...ops: OpCode[]) => (op: OpCode) => ops.includes(op);
/** A predicate: the op is none of `ops`. */
export const isNot = (...ops: OpCode[]) => (op: OpCode) => !ops.includes(op);
/** Targets: `ops` in this order, less the edge's current op. */
export const to = (...ops: OpCode[]) => (cell: Cell, edge: number) => ops.filter((op) => op !== cell[edge]);
/** Targets: `ops` less the edge's current op, in a uniformly random order (so the first is a uniform draw). */
export const anyOf = (...ops: OpCode[]) => (cell: Cell, edge: number, rng: Rng) => rng.sample(to(...ops)(cell, edge), 5);

/** An edit rule from its parts. */
export const rule = (intent: EditIntent, count: [number, number], tiers: EditRule['tiers'], targets: EditRule['targets']): EditRule => ({ intent, count, tiers, targets });
