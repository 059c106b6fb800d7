import type { Rng } from '@nasfleet/contracts';
import { Architecture, type LayerNode } from './arch-schema.ts';
import { archFailure } from './arch-failure.ts';
import { architectureHash } from './canonical.ts';
import { checkArchitecture } from './check-architecture.ts';
import type { EditContext, EditResult } from './edit-architecture.ts';
import { inferShapes } from './infer-shapes.ts';
import { nodeMap, pruneDead, renameNodes } from './graph-utils.ts';

interface Cut { id: string; rank: number; pos: number; ancestors: Set<string> }

function closure(byId: Map<string, LayerNode>, start: string, next: (id: string) => string[]): Set<string> {
  const seen = new Set<string>();
  const stack = [start];
  while (stack.length > 0) {
    const id = stack.pop() as string;
    if (seen.has(id) || !byId.has(id)) continue;
    seen.add(id);
    stack.push(...next(id));
  }
  return seen;
}

/** Nodes every input→output path passes through (so the graph splits there into a before and an after), with their output rank. */
function cutPoints(arch: Architecture): Cut[] {
  const shapes = inferShapes(arch);
  if (!shapes.ok) return [];
  const byId = nodeMap(arch);
  const readers = new Map<string, string[]>();
  for (const n of arch.nodes) for (const i of n.inputs) readers.set(i, [...(readers.get(i) ?? []), n.id]);
  const cuts: Cut[] = [];
  arch.nodes.forEach((n, i) => {
    if (n.id === arch.output) return;
    const ancestors = closure(byId, n.id, (id) => byId.get(id)?.inputs ?? []);
    const descendants = closure(byId, n.id, (id) => readers.get(id) ?? []);
    // Every node is before or after the cut, and nothing after it reads past it (a skip over the cut
    // would be left reading a node the spliced child does not have).
    const closed = [...descendants].every((d) => d === n.id || (byId.get(d)?.inputs ?? []).every((i) => descendants.has(i)));
    if (ancestors.size + descendants.size - 1 === arch.nodes.length && closed) {
      cuts.push({ id: n.id, rank: shapes.shapes[n.id]?.length ?? 0, pos: i / arch.nodes.length, ancestors });
    }
  });
  return cuts;
}

/** a's part up to and including cut x, then b's part after cut y, reading x where b read y. */
function splice(a: Architecture, x: Cut, b: Architecture, y: Cut): Architecture {
  const head = a.nodes.filter((n) => x.ancestors.has(n.id)).map((n) => ({ ...n, id: `a:${n.id}`, inputs: n.inputs.map((i) => `a:${i}`) }) as LayerNode);
  const tail = b.nodes.filter((n) => !y.ancestors.has(n.id)).map((n) => ({
    ...n, id: `b:${n.id}`, inputs: n.inputs.map((i) => (i === y.id ? `a:${x.id}` : `b:${i}`)),
  }) as LayerNode);
  return renameNodes({ format: 'nasfleet.arch/v1', nodes: [...head, ...tail], output: `b:${b.output}` });
}

function crossPair(a: Architecture, b: Architecture, rng: Rng): Architecture | null {
  const ca = cutPoints(a);
  const cb = cutPoints(b);
  const x = ca.length > 0 ? rng.pick(ca) : null;
  if (!x) return null;
  const same = cb.filter((c) => c.rank === x.rank);
  if (same.length === 0) return null;
  // Prefer a cut at a similar relative depth, so the child keeps about the size of its parents.
  const near = [...same].sort((p, q) => Math.abs(p.pos - x.pos) - Math.abs(q.pos - x.pos)).slice(0, 3);
  return splice(a, x, b, rng.pick(near));
}

/**
 * Merge 2–3 parents: the first part of one (up to a node every path passes through) joined to the
 * last part of another at a cut of the same rank; with a third parent the child is crossed once
 * more. The child passes checkArchitecture for `ctx` and differs from every parent, or the result
 * is a classified failure. Parents are untrusted (parsed first).
 */
export function crossoverArchitectures(archs: readonly unknown[], rng: Rng, ctx: EditContext): EditResult {
  const parents: Architecture[] = [];
  for (const a of archs) {
    const p = Architecture.safeParse(a);
    if (p.success) parents.push(pruneDead(p.data));
  }
  if (parents.length < 2) return { ok: false, failure: archFailure('invalid-artifact', `crossover needs at least 2 valid parents, got ${parents.length}`) };
  const hashes = new Set(parents.map(architectureHash));
  let last = null;
  for (let attempt = 0; attempt < 24; attempt++) {
    const order = rng.sample(parents, parents.length);
    let child: Architecture | null = order[0] as Architecture;
    for (const other of order.slice(1, 3)) child = child && crossPair(child, other, rng);
    if (!child) continue;
    const checked = checkArchitecture(child, ctx);
    if (!checked.ok) {
      last = checked.failure;
      continue;
    }
    const hash = architectureHash(checked.arch);
    if (!hashes.has(hash)) {
      return { ok: true, arch: checked.arch, report: checked.report, hash, description: `crossover of ${order.length} parents at cut points` };
    }
  }
  return {
    ok: false,
    failure: last
      ? archFailure(last.class, `crossover found no valid child that differs from its parents; last problem: ${last.message}`)
      : archFailure('invalid-artifact', 'crossover found no compatible cut points in these parents'),
  };
}
