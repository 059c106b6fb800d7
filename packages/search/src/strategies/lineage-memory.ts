import type { CandidateResult, MemoryEntry } from '@nasfleet/contracts';
import type { CandidateLog, CandidateRecord } from '../engine/candidate-log.ts';

/**
 * Feedback memory per lineage (the hybrid): the attempts made on each parent, so that a mutation of P
 * sees what was tried on P and its ancestors and how it went. Plain data; snapshotted as is.
 */
export interface LineageMemory {
  /** parent id → entries of its children, in tell order, each tagged with its tell position. */
  byParent: Record<string, { at: number; entry: MemoryEntry }[]>;
}

export function emptyLineageMemory(): LineageMemory {
  return { byParent: {} };
}

/** Records a child's attempt under its parent. */
export function recordAttempt(memory: LineageMemory, parentId: string, at: number, entry: MemoryEntry): void {
  (memory.byParent[parentId] ??= []).push({ at, entry });
}

/**
 * The window for a mutation of `parentId`: the `window` most recent attempts made on the parent or
 * any of its first `depth` ancestors (`parentOf` walks the line), oldest first.
 */
export function lineageWindow(
  memory: LineageMemory,
  parentId: string,
  parentOf: (id: string) => string | null,
  window: number,
  depth = 16,
): MemoryEntry[] {
  const found: { at: number; entry: MemoryEntry }[] = [];
  let id: string | null = parentId;
  for (let d = 0; id !== null && d < depth; d++) {
    found.push(...(memory.byParent[id] ?? []));
    id = parentOf(id);
  }
  return found
    .sort((a, b) => a.at - b.at)
    .slice(-window)
    .map(({ entry }) => entry);
}

/** The memory entry of a told child, for its parent's lineage (the child's own feedback when it has some). */
export function lineageEntry(log: CandidateLog, record: CandidateRecord & { result: CandidateResult }): MemoryEntry {
  const feedback = record.result.feedback;
  const intent = feedback?.intent ?? record.prompt?.intent;
  // Keys in MemoryEntry's schema order (a validated restore rebuilds them in that order).
  return {
    candidateId: record.id,
    problem: feedback?.problem ?? `parent ${record.parentIds[0]} (${record.operator})`,
    suggestion: feedback?.suggestion ?? (record.prompt ? `prompt ${record.prompt.id}: ${record.prompt.intent}` : record.operator),
    ...(intent === undefined ? {} : { intent }),
    outcome: record.result.outcome,
    baseline: log.fitness(record.parentIds[0]!),
  };
}
