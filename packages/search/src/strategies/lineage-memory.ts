import type { MemoryEntry } from '@nasfleet/contracts';

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
