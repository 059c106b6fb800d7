import { OP } from './cell-space.ts';
import type { OpCode } from './cell-space.ts';
import { ALL_EDGES, anyOf, is, isNot, rule, where } from './edit-rule.ts';
import type { EditIntent, EditRule } from './edit-rule.ts';

const { none, skip, conv1x1: c1, conv3x3: c3, avgPool: pool } = OP;
const EVERY_OP: OpCode[] = [none, skip, c1, c3, pool];

/**
 * The `neutral` level's rules: one tier per rule (every edge of the kind, drawn uniformly), targets
 * in a uniformly random order (the first is drawn uniformly), no protected edge. What is left of an
 * intent is only its kind: which ops it may replace and with what; the edit counts are the expert
 * level's, so temperature means the same at both levels.
 */
const N = {
  addLayer: rule('add-layer', [1, 2], (c) => [where(c, is(none))], anyOf(c1, c3)),
  addConv: rule('add-conv', [1, 2], (c) => [where(c, isNot(c1, c3))], anyOf(c1, c3)),
  swapKernel: rule('change-activation', [1, 2], (c) => [where(c, is(c1, c3))], anyOf(c1, c3)),
  removeLayer: rule('remove-layer', [1, 2], (c) => [where(c, isNot(none))], anyOf(none)),
  shrink: rule('shrink-drastically', [2, 4], (c) => [where(c, is(c1, c3, pool))], anyOf(none, skip)),
  // Bigger: a non-conv edge becomes a conv of either kernel, a 1×1 a 3×3.
  grow: rule('grow-drastically', [2, 4], (c) => [where(c, isNot(c3))], (c, e, rng) => (c[e] === c1 ? [c3] : anyOf(c1, c3)(c, e, rng))),
  addDense: rule('add-dense', [1, 2], (c) => [where(c, isNot(c1))], anyOf(c1)),
  addPooling: rule('add-pooling', [1, 2], (c) => [where(c, isNot(pool))], anyOf(pool)),
  addResidual: rule('add-residual', [1, 2], (c) => [where(c, isNot(skip))], anyOf(skip)),
  addResiduals: rule('add-residuals', [2, 3], (c) => [where(c, isNot(skip))], anyOf(skip)),
  dropPath: rule('add-dropout', [1, 2], (c) => [where(c, isNot(none))], anyOf(none)),
  // NB201's convolutions are its only ops with batch norm.
  normalise: rule('add-normalisation', [1, 2], (c) => [where(c, isNot(c1, c3))], anyOf(c1, c3)),
  // The expert's mixed kind, drawn uniformly over edges: swap the param-free ops, or the kernels.
  activation: rule('change-activation', [1, 2], (c) => [where(c, isNot(none))], (c, e, rng) => (is(c1, c3)(c[e]!) ? anyOf(c1, c3) : anyOf(skip, pool))(c, e, rng)),
  widen: rule('widen', [1, 3], (c) => [where(c, is(c1))], anyOf(c3)),
  narrow: rule('narrow', [1, 3], (c) => [where(c, is(c3))], anyOf(c1)),
  improve: rule('improve', [1, 2], () => [ALL_EDGES], anyOf(...EVERY_OP)),
} satisfies Record<string, EditRule>;

/** The `neutral` level's rules for each intent, first applicable wins (then a single uniform change). */
export const NEUTRAL_PLANS: Record<EditIntent, EditRule[]> = {
  'add-layer': [N.addLayer, N.addConv],
  'remove-layer': [N.removeLayer],
  improve: [N.improve],
  'shrink-drastically': [N.shrink, N.removeLayer],
  'grow-drastically': [N.grow],
  'add-dense': [N.addDense],
  'add-conv': [N.addConv, N.swapKernel],
  'add-pooling': [N.addPooling],
  'add-residual': [N.addResidual],
  'add-residuals': [N.addResiduals],
  'add-dropout': [N.dropPath],
  'add-normalisation': [N.normalise, N.swapKernel],
  widen: [N.widen, N.addConv],
  narrow: [N.narrow, N.removeLayer],
  'change-activation': [N.activation],
  'any-edit': [],
};
