import type { Rng } from '@nasfleet/contracts';
import type { ActivationName, LayerNode } from './arch-schema.ts';
import type { EditableGraph } from './edit-graph.ts';
import { isAncestor } from './graph-utils.ts';
import type { Shape } from './infer-shapes.ts';
import { layer } from './layers.ts';

/** What an edit may use: randomness, strength in (0, 1] (from the temperature), the task, and the retry number. */
export interface EditEnv {
  rng: Rng;
  strength: number;
  numClasses: number;
  /** 0 on the first try; later tries choose safer (shape-preserving) variants. */
  attempt: number;
}

/** One edit: changes the graph in place and says what it did, or returns null when it does not apply. */
export type Edit = (g: EditableGraph, env: EditEnv) => string | null;

const WEIGHTED = new Set(['conv2d', 'depthwiseConv2d', 'separableConv2d', 'dense']);
const ACTIVATIONS: ActivationName[] = ['relu', 'relu6', 'elu', 'selu', 'tanh', 'swish', 'gelu', 'mish'];

interface View { shapes: Record<string, Shape>; spatial: LayerNode[]; vector: LayerNode[] }

/** Shapes plus the feature-map (rank 3) and hidden-vector (rank 1, not the output) nodes. */
function view(g: EditableGraph): View | null {
  const shapes = g.shapes();
  if (!shapes) return null;
  const rank = (n: LayerNode): number => shapes[n.id]?.length ?? 0;
  return {
    shapes,
    spatial: g.nodes.filter((n) => rank(n) === 3),
    vector: g.nodes.filter((n) => rank(n) === 1 && n.id !== g.output),
  };
}

const channels = (v: View, id: string): number => v.shapes[id]?.at(-1) ?? 1;
const readerOps = (g: EditableGraph, id: string): string[] => g.readers(id).map((r) => g.node(r).op);

/** A conv after a feature map: 3x3 'same' ReLU; on retries it keeps the channel count, so shapes cannot break. */
export const addConv: Edit = (g, env) => {
  const v = view(g);
  if (!v || v.spatial.length === 0) return null;
  const target = env.rng.pick(v.spatial);
  const c = channels(v, target.id);
  const grow = env.attempt < 2 ? env.rng.pick([1, 2, 2, 4]) : 1;
  const filters = env.attempt < 2 ? Math.max(8, Math.round(c * (1 + env.strength * (grow - 1)))) : c;
  const k = env.rng.chance(0.2 * env.strength) ? env.rng.pick([1, 5]) : 3;
  const id = g.freshId('conv');
  g.spliceAfter(target.id, [layer.conv2d(id, target.id, filters, k)], id);
  return `added conv2d "${id}" (${filters} filters, ${k}x${k}, same, relu) after "${target.id}"`;
};

/** A ReLU dense layer in the head, after a hidden vector. */
export const addDense: Edit = (g, env) => {
  const v = view(g);
  if (!v || v.vector.length === 0) return null;
  const target = env.rng.pick(v.vector);
  const units = env.attempt < 2 ? env.rng.pick([64, 128, 256, 512].slice(0, 2 + Math.round(env.strength * 2))) : channels(v, target.id);
  const id = g.freshId('dense');
  g.spliceAfter(target.id, [layer.dense(id, target.id, units)], id);
  return `added dense "${id}" (${units} units, relu) after "${target.id}"`;
};

/** 2x2 max or average pooling after a feature map at least 2x2 big, preferring maps not already pooled. */
export const addPooling: Edit = (g, env) => {
  const v = view(g);
  if (!v) return null;
  const ok = v.spatial.filter((n) => (v.shapes[n.id]?.[0] ?? 0) >= 2 && (v.shapes[n.id]?.[1] ?? 0) >= 2 && !/pool/i.test(n.op));
  const fresh = ok.filter((n) => !readerOps(g, n.id).some((op) => /Pooling/.test(op)));
  const pool = fresh.length > 0 ? fresh : ok;
  if (pool.length === 0) return null;
  const target = env.rng.pick(pool);
  const id = g.freshId('pool');
  const kind = env.rng.chance(0.75) ? 'max' : 'avg';
  g.spliceAfter(target.id, [layer.pool(id, target.id, kind)], id);
  return `added ${kind === 'max' ? 'maxPooling2d' : 'averagePooling2d'} "${id}" (2x2, stride 2) after "${target.id}"`;
};

/** Dropout after a hidden vector (or a feature map), rate growing with strength. */
export const addDropout: Edit = (g, env) => {
  const v = view(g);
  if (!v) return null;
  const notDropped = (n: LayerNode): boolean => n.op !== 'dropout' && !readerOps(g, n.id).includes('dropout');
  const head = v.vector.filter(notDropped);
  const pool = head.length > 0 && env.rng.chance(0.8) ? head : [...head, ...v.spatial.filter((n) => n.op !== 'input' && notDropped(n))];
  if (pool.length === 0) return null;
  const target = env.rng.pick(pool);
  const rate = Math.round((0.1 + 0.4 * env.strength * env.rng.float()) * 100) / 100;
  const id = g.freshId('dropout');
  g.spliceAfter(target.id, [layer.dropout(id, target.id, rate)], id);
  return `added dropout "${id}" (rate ${rate}) after "${target.id}"`;
};

/** Batch norm after a conv/dense layer without one; a fused activation moves after the norm (conv → BN → act). */
export const addNormalisation: Edit = (g, env) => {
  const v = view(g);
  if (!v) return null;
  const bare = [...v.spatial, ...v.vector].filter((n) => WEIGHTED.has(n.op) && !readerOps(g, n.id).includes('batchNormalization'));
  const pool = bare.length > 0 ? bare : v.spatial.filter((n) => n.op !== 'batchNormalization' && !readerOps(g, n.id).includes('batchNormalization'));
  if (pool.length === 0) return null;
  const target = env.rng.pick(pool);
  const id = g.freshId('bn');
  const act = 'activation' in target.config ? target.config.activation : 'linear';
  if (act !== 'linear' && 'activation' in target.config) {
    target.config.activation = 'linear';
    const actId = g.freshId('act');
    g.spliceAfter(target.id, [layer.batchNorm(id, target.id), layer.activation(actId, id, act)], actId);
  } else {
    g.spliceAfter(target.id, [layer.batchNorm(id, target.id)], id);
  }
  return `added batchNormalization "${id}" after "${target.id}"`;
};

/** One residual connection add([b, a]) from an earlier node a to a later b of the same kind, with a 1x1 projection when shapes differ. */
export const addResidual: Edit = (g, env) => {
  const v = view(g);
  if (!v) return null;
  const idx = new Map(g.nodes.map((n, i) => [n.id, i]));
  const pairs: Array<[LayerNode, LayerNode, number]> = [];
  const arch = g.toArchitecture();
  for (const group of [v.spatial, v.vector.filter((n) => WEIGHTED.has(n.op))]) {
    for (const b of group) {
      if (b.id === g.output || b.op === 'add' || readerOps(g, b.id).includes('add')) continue;
      for (const a of group) {
        if ((idx.get(a.id) ?? 0) >= (idx.get(b.id) ?? 0) || !isAncestor(arch, a.id, b.id)) continue;
        const sa = v.shapes[a.id] as Shape;
        const sb = v.shapes[b.id] as Shape;
        const stride = sa.length === 3 ? (sa[0] as number) / (sb[0] as number) : 1;
        if (!Number.isInteger(stride) || stride < 1 || (sa.length === 3 && Math.ceil((sa[1] as number) / stride) !== sb[1])) continue;
        pairs.push([a, b, stride]);
      }
    }
  }
  if (pairs.length === 0) return null;
  const far = pairs.filter(([a, b]) => !b.inputs.includes(a.id));
  const [a, b, stride] = env.rng.pick(far.length > 0 && env.attempt < 3 ? far : pairs);
  const sa = v.shapes[a.id] as Shape;
  const sb = v.shapes[b.id] as Shape;
  const added: LayerNode[] = [];
  let skip = a.id;
  if (channels(v, a.id) !== channels(v, b.id) || stride !== 1) {
    skip = g.freshId('proj');
    added.push(sa.length === 3
      ? layer.conv2d(skip, a.id, sb.at(-1) as number, 1, { strides: stride, activation: 'linear' })
      : layer.dense(skip, a.id, sb.at(-1) as number, 'linear'));
  }
  const id = g.freshId('add');
  added.push(layer.add(id, [b.id, skip]));
  g.spliceAfter(b.id, added, id);
  return `added residual connection "${id}" = add("${b.id}", ${skip === a.id ? `"${a.id}"` : `1x1 projection "${skip}" of "${a.id}"`})`;
};

/** Several residual connections (2 to 4 with strength); fails when fewer than 2 fit. */
export const addResiduals: Edit = (g, env) => {
  const want = 2 + Math.round(env.strength * 2);
  const done: string[] = [];
  // A short network has too few places for skips: a shape-keeping conv makes room.
  for (let i = 0; i < want + 3 && done.length < want; i++) {
    const d = addResidual(g, env);
    if (d) done.push(d);
    else if (!addConv(g, { ...env, attempt: Math.max(env.attempt, 2) })) break;
  }
  return done.length >= 2 ? done.join('; ') : null;
};

/** Remove one layer (its readers read its input) or one merge (its readers read one of its inputs); rank-changing nodes and the output stay. */
export const removeLayer: Edit = (g, env) => {
  const pool = g.nodes.filter((n) => n.op !== 'input' && n.id !== g.output && !['flatten', 'globalAveragePooling2d', 'globalMaxPooling2d'].includes(n.op));
  if (pool.length === 0) return null;
  const weighted = pool.flatMap((n) => (WEIGHTED.has(n.op) || /Pooling|add|multiply|concatenate/.test(n.op) ? [n, n] : [n]));
  const target = env.rng.pick(weighted);
  const to = env.rng.pick(target.inputs);
  g.remove(target.id, to);
  return `removed ${target.op} "${target.id}" (its readers now read "${to}")`;
};

function resizable(g: EditableGraph): LayerNode[] {
  return g.nodes.filter((n) => (n.op === 'conv2d' || n.op === 'separableConv2d' || n.op === 'dense') && n.id !== g.output);
}

/** Scale filters/units by `factor` on some (strength-many) or, on retries, all resizable layers, so merged channels stay equal. */
export function scaleWidth(g: EditableGraph, env: EditEnv, factor: number, all = env.attempt >= 2): string | null {
  const pool = resizable(g);
  if (pool.length === 0) return null;
  const chosen = all ? pool : env.rng.sample(pool, Math.max(1, Math.round(env.strength * pool.length)));
  const changes: string[] = [];
  for (const n of chosen) {
    if (n.op !== 'conv2d' && n.op !== 'separableConv2d' && n.op !== 'dense') continue;
    const key = n.op === 'dense' ? 'units' : 'filters';
    const old = n.op === 'dense' ? n.config.units : n.config.filters;
    const next = factor > 1 ? Math.max(old + 1, Math.round(old * factor)) : Math.max(1, Math.min(old - 1, Math.round(old * factor)));
    if (next === old || next < 1) continue;
    if (n.op === 'dense') n.config.units = next;
    else n.config.filters = next;
    changes.push(`"${n.id}" ${key} ${old}→${next}`);
  }
  return changes.length > 0 ? changes.join(', ') : null;
}

/** More channels/units: ×1.4 to ×2.5 with strength. */
export const widen: Edit = (g, env) => {
  const d = scaleWidth(g, env, 1.25 + 1.25 * env.strength);
  return d && `widened ${d}`;
};

/** Fewer channels/units: ÷1.4 to ÷2.5 with strength. */
export const narrow: Edit = (g, env) => {
  const d = scaleWidth(g, env, 1 / (1.25 + 1.25 * env.strength));
  return d && `narrowed ${d}`;
};

/** A different activation on a conv/dense layer or activation node (never the output's). */
export const changeActivation: Edit = (g, env) => {
  const pool = g.nodes.filter((n) => n.id !== g.output && (WEIGHTED.has(n.op) || n.op === 'activation'));
  if (pool.length === 0) return null;
  const target = env.rng.pick(pool);
  if (!('activation' in target.config)) return null;
  const old = target.config.activation;
  const next = env.rng.pick(ACTIVATIONS.filter((a) => a !== old));
  target.config.activation = next;
  return `changed the activation of "${target.id}" from ${old} to ${next}`;
};

/** Pool the map that flatten reads, so the dense layer after it gets fewer inputs; null when no flatten reads a map bigger than 4x4. */
export const poolBeforeFlatten: Edit = (g, env) => {
  const v = view(g);
  if (!v) return null;
  const flats = g.nodes.filter((n) => n.op === 'flatten' && (v.shapes[n.inputs[0] as string]?.[0] ?? 0) > 4);
  if (flats.length === 0) return null;
  const flat = env.rng.pick(flats);
  const src = flat.inputs[0] as string;
  const size = (v.shapes[src]?.[0] ?? 0) >= 16 && env.strength > 0.5 ? 4 : 2;
  const id = g.freshId('pool');
  const node = layer.pool(id, src, 'max', size);
  g.nodes.splice(g.nodes.indexOf(flat), 0, node);
  flat.inputs = [id];
  return `added maxPooling2d "${id}" (${size}x${size}) before flatten "${flat.id}"`;
};
