import type { Ancestor, CandidateStatus, CandidateSummary } from './api-types.ts';

/** A node of the tree the candidate view draws: who, how it was made, how it did. */
export interface TreeNode {
  id: string;
  operator: string;
  status: CandidateStatus;
  fitness: number | null;
  /** Crossover partners (parents after the first), each a node you can go to. */
  partners: string[];
}

/** A candidate's line: its first-parent ancestors from the root down, itself, and its children. */
export interface LineageTree {
  ancestors: TreeNode[];
  self: TreeNode;
  children: TreeNode[];
}

const nodeOf = (c: { id: string; operator: string; parentIds: string[]; status: CandidateStatus; fitness: number | null }): TreeNode => ({
  id: c.id, operator: c.operator, status: c.status, fitness: c.fitness, partners: c.parentIds.slice(1),
});

/**
 * The tree around a candidate: its lineage (the API's, nearest first) turned root-first, and its
 * children: every known candidate that names it as a parent (first parent or crossover partner), in
 * ask order.
 */
export function lineageTree(self: { id: string; operator: string; parentIds: string[]; status: CandidateStatus; fitness: number | null }, lineage: readonly Ancestor[], known: Iterable<CandidateSummary>): LineageTree {
  const children: TreeNode[] = [];
  for (const c of known) if (c.parentIds.includes(self.id)) children.push({ ...nodeOf(c), partners: c.parentIds.filter((p) => p !== self.id) });
  children.sort((a, b) => a.id.localeCompare(b.id));
  return { ancestors: [...lineage].reverse().map(nodeOf), self: nodeOf(self), children };
}
