import type { Failure, MutationIntent, Rng } from '@nasfleet/contracts';
import { Architecture } from './arch-schema.ts';
import { archFailure } from './arch-failure.ts';
import { architectureHash } from './canonical.ts';
import { checkArchitecture, type ArchReport } from './check-architecture.ts';
import { EditableGraph } from './edit-graph.ts';
import {
  addConv, addDense, addDropout, addNormalisation, addPooling, addResidual, addResiduals, changeActivation,
  narrow, poolBeforeFlatten, removeLayer, scaleWidth, widen, type Edit, type EditEnv,
} from './edit-ops.ts';

/** The task an edit must keep valid for, and the search's caps. */
export interface EditContext {
  inputShape: number[];
  numClasses: number;
  maxParams?: number;
  maxFlops?: number;
  maxActivationBytes?: number;
}

/** A checked child with what was done to the parent (for the feedback memory), or why none could be made. */
export type EditResult =
  | { ok: true; arch: Architecture; report: ArchReport; hash: string; description: string }
  | { ok: false; failure: Failure };

/** Tries per edit: each retry draws new random choices, later ones choose safer variants and a milder strength. */
const ATTEMPTS = 12;

const growDrastically: Edit = (g, env) => {
  // Strength decays over retries, so a grow that breaks the caps is retried milder (×4 at full strength down to ×1.3).
  const parts = [scaleWidth(g, env, 1 + 3 * env.strength, true)];
  const extra = 1 + Math.round(2 * env.strength);
  for (let i = 0; i < extra; i++) parts.push(addConv(g, { ...env, attempt: Math.max(env.attempt, 2) }));
  const done = parts.filter((p): p is string => p !== null);
  return done.length > 0 ? `grew: ${done.join('; ')}` : null;
};

const shrinkDrastically: Edit = (g, env) => {
  const parts = [scaleWidth(g, env, 1 / (2 + 2 * env.strength), true), poolBeforeFlatten(g, env)];
  if (env.rng.chance(env.strength)) parts.push(removeLayer(g, env));
  const done = parts.filter((p): p is string => p !== null);
  return done.length > 0 ? `shrank: ${done.join('; ')}` : null;
};

const addLayer: Edit = (g, env) => env.rng.pick([addConv, addConv, addDense, addPooling, addDropout, addNormalisation])(g, env);

/**
 * A heuristic "make it better" for small image classifiers: first what most often helps (real
 * convolutions in a tiny net, pooling before a huge flatten, normalisation, residuals in deeper
 * nets, a smaller head, dropout), otherwise more capacity. Higher strength picks more freely.
 */
const improve: Edit = (g, env) => {
  const convs = g.nodes.filter((n) => n.op === 'conv2d' || n.op === 'separableConv2d');
  const maxFilters = Math.max(0, ...convs.map((n) => ('filters' in n.config ? n.config.filters : 0)));
  const hasOp = (op: string): boolean => g.nodes.some((n) => n.op === op);
  const shapes = g.shapes();
  const hugeDense = g.nodes.some((n) => n.op === 'dense' && n.id !== g.output && n.config.units > 512);
  const bigFlatten = g.nodes.some((n) => n.op === 'flatten' && (shapes?.[n.inputs[0] as string]?.[0] ?? 0) > 8);
  const ranked: Edit[] = [];
  if (shapes && Object.values(shapes).some((s) => s.length === 3) && maxFilters < 16) ranked.push(addConv);
  if (bigFlatten) ranked.push(poolBeforeFlatten);
  if (convs.length >= 2 && !hasOp('batchNormalization')) ranked.push(addNormalisation);
  if (convs.length >= 3 && !hasOp('add')) ranked.push(addResidual);
  if (hugeDense) ranked.push(narrow);
  if (!hasOp('dropout') && g.nodes.filter((n) => n.op === 'dense').length >= 2) ranked.push(addDropout);
  ranked.push(addConv, widen, addPooling);
  const pick = env.rng.chance(env.strength * 0.5) || env.attempt > 0 ? env.rng.pick(ranked) : (ranked[0] as Edit);
  const d = pick(g, env);
  return d && `improved: ${d}`;
};

/** The edit that carries out each mutation intent. */
export const INTENT_EDITS: Record<MutationIntent, Edit> = {
  'add-layer': addLayer,
  'remove-layer': removeLayer,
  improve,
  'shrink-drastically': shrinkDrastically,
  'grow-drastically': growDrastically,
  'add-dense': addDense,
  'add-conv': addConv,
  'add-pooling': addPooling,
  'add-residual': addResidual,
  'add-residuals': addResiduals,
  'add-dropout': addDropout,
  'add-normalisation': addNormalisation,
  widen,
  narrow,
  'change-activation': changeActivation,
};

/**
 * Run `edit` on copies of `parent` until one gives a child that passes checkArchitecture (with the
 * context's caps) and differs from the parent's canonical hash. Returns the last check failure,
 * or an 'invalid-artifact' failure saying the edit does not apply to this network.
 */
export function runEdit(parent: Architecture, edit: Edit, name: string, temperature: number, rng: Rng, ctx: EditContext): EditResult {
  const parentHash = architectureHash(parent);
  const strength = Math.min(1, Math.max(0.05, temperature));
  let last: Failure | null = null;
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const g = new EditableGraph(parent);
    const env: EditEnv = { rng, strength: strength * 0.8 ** attempt, numClasses: ctx.numClasses, attempt };
    const description = edit(g, env);
    if (description === null) continue;
    const child = g.toArchitecture();
    const checked = checkArchitecture(child, ctx);
    if (!checked.ok) {
      last = checked.failure;
      continue;
    }
    const hash = architectureHash(checked.arch);
    if (hash !== parentHash) return { ok: true, arch: checked.arch, report: checked.report, hash, description };
  }
  return {
    ok: false,
    failure: last
      ? archFailure(last.class, `could not carry out "${name}" on this network in ${ATTEMPTS} tries; last problem: ${last.message}`)
      : archFailure('invalid-artifact', `"${name}" does not apply to this network (nothing to change)`),
  };
}

/**
 * Carry out a mutation intent as a programmatic edit of `arch` (untrusted: parsed first).
 * Temperature in [0.1, 1] is the edit strength (how much is added, scaled or removed). The child
 * passes checkArchitecture for `ctx` and differs from the parent, or the result is a classified
 * failure. Deterministic for a given rng state.
 */
export function applyIntent(arch: unknown, intent: MutationIntent, temperature: number, rng: Rng, ctx: EditContext): EditResult {
  const parsed = Architecture.safeParse(arch);
  if (!parsed.success) {
    return { ok: false, failure: archFailure('invalid-artifact', `the parent is not a valid architecture description: ${parsed.error.issues[0]?.message ?? 'unknown'}`) };
  }
  return runEdit(parsed.data, INTENT_EDITS[intent], intent, temperature, rng, ctx);
}
