import type { Architecture, LayerNode } from './arch-schema.ts';

/** Nodes by id. */
export function nodeMap(arch: Architecture): Map<string, LayerNode> {
  return new Map(arch.nodes.map((n) => [n.id, n]));
}

/** For each node id, the ids of the nodes that read it (in node order, one entry per reading node). */
export function consumersOf(arch: Architecture): Map<string, string[]> {
  const out = new Map<string, string[]>(arch.nodes.map((n) => [n.id, []]));
  for (const n of arch.nodes) {
    for (const i of new Set(n.inputs)) out.get(i)?.push(n.id);
  }
  return out;
}

/**
 * The ids the output depends on (the output included). Nodes outside this set are dead: TF.js's
 * `tf.model` leaves them out, so they carry no parameters, cost or descriptors.
 */
export function liveIds(arch: Architecture): Set<string> {
  const byId = nodeMap(arch);
  const live = new Set<string>();
  const stack = [arch.output];
  while (stack.length > 0) {
    const id = stack.pop() as string;
    if (live.has(id)) continue;
    const node = byId.get(id);
    if (!node) continue;
    live.add(id);
    stack.push(...node.inputs);
  }
  return live;
}

/** The architecture with dead nodes removed (node order kept). */
export function pruneDead(arch: Architecture): Architecture {
  const live = liveIds(arch);
  return { ...arch, nodes: arch.nodes.filter((n) => live.has(n.id)) };
}

/** Ops that merge several inputs. */
export const MERGE_OPS = new Set(['add', 'multiply', 'concatenate']);

/** Whether `a` is an ancestor of `b` (or `b` itself). */
export function isAncestor(arch: Architecture, a: string, b: string): boolean {
  const byId = nodeMap(arch);
  const seen = new Set<string>();
  const stack = [b];
  while (stack.length > 0) {
    const id = stack.pop() as string;
    if (id === a) return true;
    if (seen.has(id)) continue;
    seen.add(id);
    stack.push(...(byId.get(id)?.inputs ?? []));
  }
  return false;
}

/** The same network with ids `input`, `<op>_<k>` (k counting per op in node order): short, readable, collision-free. */
export function renameNodes(arch: Architecture): Architecture {
  const counts = new Map<string, number>();
  const names = new Map<string, string>();
  for (const n of arch.nodes) {
    const k = (counts.get(n.op) ?? 0) + 1;
    counts.set(n.op, k);
    names.set(n.id, n.op === 'input' ? 'input' : `${n.op}_${k}`);
  }
  return {
    ...arch,
    nodes: arch.nodes.map((n) => ({ ...n, id: names.get(n.id) as string, inputs: n.inputs.map((i) => names.get(i) as string) }) as LayerNode),
    output: names.get(arch.output) as string,
  };
}
