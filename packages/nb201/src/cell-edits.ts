import type { Rng } from '@nasfleet/contracts';
import { liveEdges } from './cell-descriptors.ts';
import { isConnected, OP, withEdge } from './cell-space.ts';
import type { Cell, OpCode } from './cell-space.ts';
import { assignmentKey, NO_LESSONS } from './edit-memory.ts';
import type { EdgeAssignment, MemoryLessons } from './edit-memory.ts';
import { ALL_EDGES, is, RESIDUAL_EDGE, rule, to, where } from './edit-rule.ts';
import type { EditIntent, EditRule } from './edit-rule.ts';
import { NEUTRAL_PLANS } from './neutral-edits.ts';
import type { Nb201OperatorLevel } from './operator-level.ts';

export type { EditIntent } from './edit-rule.ts';

const conv = (rng: Rng): OpCode[] => (rng.chance(0.7) ? [OP.conv3x3, OP.conv1x1] : [OP.conv1x1, OP.conv3x3]);
/** Edges that can become `none` without cutting the output off the input. */
const removable = (cell: Cell, pred: (op: OpCode) => boolean) =>
  where(cell, (op, e) => op !== OP.none && pred(op) && isConnected(withEdge(cell, e, OP.none)));
/** Skip edges other than the block-level residual 0->3, which is worth keeping. */
const innerSkips = (cell: Cell) => where(cell, (op, e) => op === OP.skip && e !== RESIDUAL_EDGE);

const RULES = {
  addConv: rule('add-conv', [1, 2], (c) => [where(c, is(OP.none)), where(c, is(OP.avgPool)), innerSkips(c)], (_c, _e, rng) => conv(rng)),
  addLayer: rule('add-layer', [1, 2], (c) => [where(c, is(OP.none))], (_c, _e, rng) => conv(rng)),
  removeLayer: rule(
    'remove-layer',
    [1, 2],
    (c) => [removable(c, is(OP.conv1x1, OP.conv3x3)), removable(c, () => true), where(c, (op) => op !== OP.none)],
    to(OP.none),
  ),
  shrink: rule(
    'shrink-drastically',
    [2, 4],
    (c) => [where(c, is(OP.conv3x3)), where(c, is(OP.conv1x1)), where(c, is(OP.avgPool))],
    // skip keeps the signal flowing where none would cut the output off
    (c, e, rng) => to(...(isConnected(withEdge(c, e, OP.none)) && rng.chance(0.5) ? [OP.none, OP.skip] : [OP.skip, OP.none]))(c, e),
  ),
  grow: rule(
    'grow-drastically',
    [2, 4],
    (c) => [where(c, is(OP.none, OP.avgPool)), innerSkips(c), where(c, is(OP.conv1x1))],
    to(OP.conv3x3),
  ),
  addDense: rule('add-dense', [1, 2], (c) => [where(c, is(OP.none)), where(c, is(OP.avgPool)), innerSkips(c)], to(OP.conv1x1)),
  addPooling: rule(
    'add-pooling',
    [1, 2],
    (c) => [where(c, is(OP.none)), innerSkips(c), where(c, is(OP.conv1x1)), where(c, is(OP.conv3x3))],
    to(OP.avgPool),
  ),
  addResidual: rule(
    'add-residual',
    [1, 2],
    (c) => [where(c, (op, e) => e === RESIDUAL_EDGE && op !== OP.skip), where(c, is(OP.none)), where(c, is(OP.avgPool)), where(c, is(OP.conv1x1, OP.conv3x3))],
    to(OP.skip),
  ),
  addResiduals: rule(
    'add-residuals',
    [2, 3],
    (c) => [where(c, (op, e) => e === RESIDUAL_EDGE && op !== OP.skip), where(c, is(OP.none)), where(c, is(OP.avgPool)), where(c, is(OP.conv1x1, OP.conv3x3))],
    to(OP.skip),
  ),
  dropPath: rule(
    'add-dropout',
    [1, 2],
    (c) => [removable(c, is(OP.avgPool)), removable(c, (op) => op === OP.skip), removable(c, is(OP.conv1x1, OP.conv3x3))],
    to(OP.none),
  ),
  normalise: rule('add-normalisation', [1, 2], (c) => [where(c, is(OP.avgPool)), innerSkips(c)], to(OP.conv1x1)),
  swapParamFree: rule('change-activation', [1, 2], (c) => [where(c, is(OP.avgPool)), innerSkips(c)], (c, e) => to(c[e] === OP.skip ? OP.avgPool : OP.skip)(c, e)),
  swapKernel: rule('change-activation', [1, 2], (c) => [where(c, is(OP.conv1x1, OP.conv3x3))], (c, e) => to(c[e] === OP.conv3x3 ? OP.conv1x1 : OP.conv3x3)(c, e)),
  widen: rule('widen', [1, 3], (c) => [where(c, is(OP.conv1x1))], to(OP.conv3x3)),
  narrow: rule('narrow', [1, 3], (c) => [where(c, is(OP.conv3x3))], to(OP.conv1x1)),
  narrowFurther: rule('narrow', [1, 2], (c) => [where(c, is(OP.conv1x1))], to(OP.skip)),
  improve: rule(
    'improve',
    [1, 2],
    // weakest first: none, then avg_pool, then inner skips, then 1x1 convs; all become 3x3 convs
    (c) => [where(c, is(OP.none)), where(c, is(OP.avgPool)), innerSkips(c), where(c, is(OP.conv1x1))],
    to(OP.conv3x3),
  ),
  restoreResidual: rule('add-residual', [1, 1], (c) => [where(c, (op, e) => e === RESIDUAL_EDGE && op !== OP.skip)], to(OP.skip)),
  anyEdit: rule('any-edit', [1, 1], () => [ALL_EDGES], (c, e, rng) => rng.sample(to(0, 1, 2, 3, 4)(c, e), 4)),
} satisfies Record<string, EditRule>;

/**
 * The `expert` level: each intent's rules, first applicable wins. Intents with no literal cell meaning map to the
 * nearest edit: add-dense → a none/pool/skip edge becomes a 1x1 conv (a pointwise conv is a dense
 * layer per pixel); add-dropout → drop-path: a redundant edge becomes none while the output stays
 * connected; add-normalisation → a pool/skip edge becomes nor_conv_1x1 (NB201 convs are the only
 * ops with batch norm); change-activation → swap skip_connect ↔ avg_pool_3x3 (the non-learned
 * transform on an edge), else swap conv kernel sizes.
 */
const EXPERT_PLANS: Record<EditIntent, EditRule[]> = {
  'add-layer': [RULES.addLayer, RULES.addConv, RULES.widen],
  'remove-layer': [RULES.removeLayer, RULES.narrow],
  improve: [RULES.improve, RULES.restoreResidual],
  'shrink-drastically': [RULES.shrink, RULES.removeLayer],
  'grow-drastically': [RULES.grow, RULES.addResidual],
  'add-dense': [RULES.addDense, RULES.narrow],
  'add-conv': [RULES.addConv, RULES.widen],
  'add-pooling': [RULES.addPooling],
  'add-residual': [RULES.addResidual],
  'add-residuals': [RULES.addResiduals],
  'add-dropout': [RULES.dropPath, RULES.removeLayer],
  'add-normalisation': [RULES.normalise, RULES.addDense],
  widen: [RULES.widen, RULES.addDense],
  narrow: [RULES.narrow, RULES.narrowFurther],
  'change-activation': [RULES.swapParamFree, RULES.swapKernel],
  'any-edit': [],
};

/** Options of `applyIntent`. */
export interface ApplyIntentOptions {
  rng: Rng;
  /** Edit strength in [0.1, 1]: more edits, and bolder edge choices, when higher. */
  temperature: number;
  lessons?: MemoryLessons;
  /** How the intent is carried out: the expert's rules (default) or a uniform edit of its kind. */
  level?: Nb201OperatorLevel;
}

/** The result of an edit: the new cell, the assignments made, and which rule's intent was applied. */
export interface EditResult {
  cell: Cell;
  changes: EdgeAssignment[];
  /** The intent actually carried out; differs from the requested one after a fallback. */
  applied: EditIntent;
}

/** Edit strength in [0, 1] from a temperature (0.1 → 0, 1.0 → 1). */
export function editStrength(temperature: number): number {
  return Math.min(1, Math.max(0, (temperature - 0.1) / 0.9));
}

/**
 * Carries out an intent as a cell edit; never returns the cell unchanged. When the intent cannot
 * apply (nothing to widen, no edge left to add a conv to) its fallback rules run, and as a last
 * resort a single random change. Assignments the lessons mark as harmful are skipped (unless
 * nothing else is left); ones that helped are chosen first.
 */
export function applyIntent(cell: Cell, intent: EditIntent, options: ApplyIntentOptions): EditResult {
  const { rng } = options;
  const lessons = options.lessons ?? NO_LESSONS;
  const strength = editStrength(options.temperature);
  const plans = options.level === 'neutral' ? NEUTRAL_PLANS : EXPERT_PLANS;
  for (const r of [...plans[intent], RULES.anyEdit]) {
    const result = runRule(cell, r, rng, strength, lessons, true);
    if (result) return result;
  }
  return runRule(cell, RULES.anyEdit, rng, strength, lessons, false)!;
}

function runRule(cell: Cell, r: EditRule, rng: Rng, strength: number, lessons: MemoryLessons, respectAvoid: boolean): EditResult | null {
  const [lo, hi] = r.count;
  const exact = lo + strength * (hi - lo);
  const wanted = Math.floor(exact) + (rng.chance(exact - Math.floor(exact)) ? 1 : 0);
  let current = cell;
  const changes: EdgeAssignment[] = [];
  for (let k = 0; k < wanted; k++) {
    const edited = new Set(changes.map((c) => c.edge));
    const tiers = r
      .tiers(current)
      .map((tier) =>
        tier
          .filter((e) => !edited.has(e))
          .map((edge) => ({ edge, ops: r.targets(current, edge, rng).filter((op) => !respectAvoid || !lessons.avoid.has(assignmentKey(edge, op))) }))
          .filter((o) => o.ops.length > 0),
      )
      .filter((tier) => tier.length > 0);
    if (tiers.length === 0) break;
    const choice = choose(tiers, rng, strength, lessons);
    changes.push(choice);
    current = withEdge(current, choice.edge, choice.op);
  }
  return changes.length > 0 ? { cell: current, changes, applied: r.intent } : null;
}

function choose(tiers: { edge: number; ops: OpCode[] }[][], rng: Rng, strength: number, lessons: MemoryLessons): EdgeAssignment {
  const preferred = tiers.flat().flatMap(({ edge, ops }) => ops.filter((op) => lessons.prefer.has(assignmentKey(edge, op))).map((op) => ({ edge, op })));
  if (preferred.length > 0) return rng.pick(preferred);
  // Bolder at high temperature: sometimes reach past the best tier.
  const tier = rng.chance(strength * 0.5) ? rng.pick(tiers) : tiers[0]!;
  const { edge, ops } = rng.pick(tier);
  const liked = ops.find((op) => lessons.preferOps.has(op));
  return { edge, op: liked ?? ops[0]! };
}

/** The edges a reader would call weakest, for diagnoses: live none/pool edges first, then any none/pool/skip. */
export function weakestEdges(cell: Cell): number[] {
  const live = liveEdges(cell);
  const rank = (op: OpCode, e: number) => (op === OP.none ? 0 : op === OP.avgPool ? 1 : op === OP.skip && e !== RESIDUAL_EDGE ? 2 : op === OP.conv1x1 ? 3 : 9) + (live[e] ? 0 : 0.5);
  const scored = ALL_EDGES.map((e) => ({ e, s: rank(cell[e]!, e) })).filter((x) => x.s < 9);
  const best = Math.min(...scored.map((x) => x.s));
  return scored.filter((x) => x.s === best).map((x) => x.e);
}
