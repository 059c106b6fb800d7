import { createHash } from 'node:crypto';
import type { Architecture, LayerNode } from './arch-schema.ts';
import { pruneDead } from './graph-utils.ts';
import { inferShapes } from './infer-shapes.ts';

/** JSON with object keys sorted, so equal values print equally. */
export function stableStringify(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableStringify(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

const sha = (s: string): string => createHash('sha256').update(s).digest('hex');
const COMMUTATIVE = new Set(['add', 'multiply']);
const FOLDABLE = new Set(['conv2d', 'depthwiseConv2d', 'separableConv2d', 'dense']);

/** Replace every read of `from` by `to` (and the output). */
function rewire(nodes: LayerNode[], output: string, from: string, to: string): string {
  for (const n of nodes) n.inputs = n.inputs.map((i) => (i === from ? to : i));
  return output === from ? to : output;
}

/** Equivalent rewrites: a standalone activation folds into a linear layer read only by it; dropout 0 is the identity. */
function simplify(arch: Architecture): Architecture {
  const nodes: LayerNode[] = structuredClone(arch.nodes);
  let output = arch.output;
  for (let changed = true; changed;) {
    changed = false;
    for (const n of nodes) {
      const readers = (id: string): number => nodes.filter((m) => m.inputs.includes(id)).length;
      const src = nodes.find((m) => m.id === n.inputs[0]);
      if (n.op === 'activation' && src && FOLDABLE.has(src.op) && 'activation' in src.config && src.config.activation === 'linear' && readers(src.id) === 1 && src.id !== output) {
        src.config.activation = n.config.activation;
      } else if (!(n.op === 'dropout' && n.config.rate === 0 && src)) {
        continue;
      }
      output = rewire(nodes, output, n.id, (src as LayerNode).id);
      nodes.splice(nodes.indexOf(n), 1);
      changed = true;
      break;
    }
  }
  return { ...arch, nodes, output };
}

/**
 * The canonical form of a network: dead nodes dropped, equivalent rewrites applied (activation
 * layers folded into the linear conv/dense before them, rate-0 dropout removed, concatenate axes
 * written negatively), nodes in a topological order that depends only on structure, ids renamed
 * n0, n1, …, and add/multiply inputs sorted. Two descriptions of the same network (other ids,
 * other order of independent branches, `add([a,b])` vs `add([b,a])`) get the same form.
 * Ordering uses each node's upstream structure, then its downstream structure, so ties are
 * only left between nodes that are interchangeable in all graphs we produce (a complete graph
 * canonisation is not attempted). Expects a schema-valid architecture.
 */
export function canonicalize(input: Architecture): Architecture {
  const arch = simplify(pruneDead(input));
  const shaped = inferShapes(arch);
  const nodes = arch.nodes.map((n) => {
    // A 1x1 window needs no padding, so 'same' and 'valid' are the same layer.
    if ('kernelSize' in n.config && n.config.kernelSize[0] === 1 && n.config.kernelSize[1] === 1) return { ...n, config: { ...n.config, padding: 'valid' } } as LayerNode;
    if ('poolSize' in n.config && n.config.poolSize[0] === 1 && n.config.poolSize[1] === 1) return { ...n, config: { ...n.config, padding: 'valid' } } as LayerNode;
    if (n.op !== 'concatenate' || !shaped.ok) return n;
    const rank = shaped.shapes[n.id]?.length ?? 0;
    const axis = n.config.axis > 0 ? n.config.axis - 1 - rank : n.config.axis;
    return { ...n, config: { axis } };
  });
  const index = new Map(nodes.map((n, i) => [n.id, i]));
  const local = nodes.map((n) => stableStringify({ op: n.op, config: n.config }));
  const up: string[] = [];
  nodes.forEach((n, i) => {
    const ins = n.inputs.map((id) => up[index.get(id) as number] as string);
    if (COMMUTATIVE.has(n.op)) ins.sort();
    up[i] = sha(`${local[i]}(${ins.join(',')})`);
  });
  const readers: string[][] = nodes.map(() => []);
  nodes.forEach((n, i) => n.inputs.forEach((id, pos) => {
    readers[index.get(id) as number]?.push(`${i}:${COMMUTATIVE.has(n.op) ? '*' : pos}`);
  }));
  const down: string[] = [];
  for (let i = nodes.length - 1; i >= 0; i--) {
    const uses = (readers[i] as string[]).map((r) => {
      const [j, pos] = r.split(':') as [string, string];
      return `${pos}>${local[Number(j)]}${down[Number(j)]}`;
    });
    uses.sort();
    down[i] = sha(`${nodes[i]?.id === arch.output ? 'OUT' : ''}[${uses.join(',')}]`);
  }
  const key = nodes.map((_, i) => `${up[i]}${down[i]}`);
  // Kahn's algorithm, always placing the ready node with the smallest structural key.
  const pending = nodes.map((n) => n.inputs.length === 0 ? 0 : new Set(n.inputs).size);
  const ready = nodes.flatMap((_, i) => (pending[i] === 0 ? [i] : []));
  const order: number[] = [];
  while (ready.length > 0) {
    ready.sort((a, b) => (key[a] as string).localeCompare(key[b] as string) || a - b);
    const i = ready.shift() as number;
    order.push(i);
    const id = nodes[i]?.id as string;
    nodes.forEach((m, j) => {
      if (m.inputs.includes(id)) {
        pending[j] = (pending[j] as number) - 1;
        if (pending[j] === 0) ready.push(j);
      }
    });
  }
  const rename = new Map(order.map((i, k) => [nodes[i]?.id as string, `n${k}`]));
  const renamed = order.map((i) => {
    const n = nodes[i] as LayerNode;
    const inputs = n.inputs.map((id) => rename.get(id) as string);
    if (COMMUTATIVE.has(n.op)) inputs.sort((a, b) => Number(a.slice(1)) - Number(b.slice(1)));
    return { ...n, id: rename.get(n.id) as string, inputs } as LayerNode;
  });
  return { format: arch.format, nodes: renamed, output: rename.get(arch.output) as string };
}

/** sha256 (hex) of the canonical form: equal for equivalent descriptions, different otherwise. */
export function architectureHash(arch: Architecture): string {
  return sha(stableStringify(canonicalize(arch)));
}
