import type { Architecture, LayerNode } from './arch-schema.ts';
import { ArchEditError } from './arch-failure.ts';
import { pruneDead } from './graph-utils.ts';
import { inferShapes, type Shape } from './infer-shapes.ts';

/** A mutable copy of a description that edits rewrite in place, keeping node order topological. */
export class EditableGraph {
  nodes: LayerNode[];
  output: string;
  private used: Set<string>;

  constructor(arch: Architecture) {
    this.nodes = structuredClone(arch.nodes);
    this.output = arch.output;
    this.used = new Set(this.nodes.map((n) => n.id));
  }

  /** An id no node has had in this graph, `<prefix>_<k>`. */
  freshId(prefix: string): string {
    for (let k = 1; ; k++) {
      const id = `${prefix}_${k}`;
      if (!this.used.has(id)) {
        this.used.add(id);
        return id;
      }
    }
  }

  node(id: string): LayerNode {
    const n = this.nodes.find((m) => m.id === id);
    if (!n) throw new ArchEditError(`no node "${id}"`);
    return n;
  }

  /** Ids of the nodes that read `id`. */
  readers(id: string): string[] {
    return this.nodes.filter((n) => n.inputs.includes(id)).map((n) => n.id);
  }

  /** Current output shapes (null when the graph does not check). */
  shapes(): Record<string, Shape> | null {
    const r = inferShapes(this.toArchitecture());
    return r.ok ? r.shapes : null;
  }

  /**
   * Put `added` (made by the caller, reading `target` or earlier nodes) right after `target`, and
   * make every former reader of `target` (and the output pointer) read `exit` instead.
   */
  spliceAfter(target: string, added: LayerNode[], exit: string): void {
    const former = new Set(this.readers(target));
    const at = this.nodes.findIndex((n) => n.id === target);
    if (at < 0) throw new ArchEditError(`no node "${target}"`);
    // Readers of target may sit before nodes that `added` reads (a residual's far end): insert after the last of them.
    const needs = new Set(added.flatMap((n) => n.inputs));
    let pos = at;
    this.nodes.forEach((n, i) => { if (needs.has(n.id)) pos = Math.max(pos, i); });
    if (this.nodes.slice(at + 1, pos + 1).some((n) => former.has(n.id))) {
      throw new ArchEditError(`cannot splice after "${target}": a reader of it comes before an input of the new nodes`);
    }
    this.nodes.splice(pos + 1, 0, ...added);
    for (const n of this.nodes) if (former.has(n.id)) n.inputs = n.inputs.map((i) => (i === target ? exit : i));
    if (this.output === target) this.output = exit;
  }

  /** Remove a node; its readers (and the output) read `replacement` (default: its first input). */
  remove(id: string, replacement?: string): void {
    const n = this.node(id);
    const to = replacement ?? n.inputs[0];
    if (to === undefined) throw new ArchEditError(`cannot remove "${id}": it has no input`);
    this.nodes = this.nodes.filter((m) => m.id !== id);
    for (const m of this.nodes) m.inputs = m.inputs.map((i) => (i === id ? to : i));
    if (this.output === id) this.output = to;
  }

  /** The edited description, dead nodes dropped. */
  toArchitecture(): Architecture {
    return pruneDead({ format: 'nasfleet.arch/v1', nodes: this.nodes, output: this.output });
  }
}
