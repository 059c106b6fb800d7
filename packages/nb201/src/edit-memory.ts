import type { MemoryEntry } from '@nasfleet/contracts';
import { edgeIndex, edgeLabel, opCodeOf, opName } from './cell-space.ts';
import type { OpCode } from './cell-space.ts';

/** One edge assignment: "set edge `edge` to `op`". */
export interface EdgeAssignment {
  edge: number;
  op: OpCode;
}

/** Machine-readable suggestion text, e.g. "set edge 1->3 to nor_conv_3x3; set edge 0->3 to skip_connect". */
export function formatSuggestion(assignments: readonly EdgeAssignment[]): string {
  return assignments.map((a) => `set edge ${edgeLabel(a.edge)} to ${opName(a.op)}`).join('; ');
}

/** Reads back the assignments in a suggestion (ignores anything else in the text, also '→' arrows). */
export function parseSuggestion(text: string): EdgeAssignment[] {
  const out: EdgeAssignment[] = [];
  for (const m of text.matchAll(/set edge (\d)\s*(?:->|→)\s*(\d) to ([a-z0-9_]+)/gi)) {
    const edge = edgeIndex(Number(m[1]), Number(m[2]));
    const op = opCodeOf(m[3]!.toLowerCase());
    if (edge !== undefined && op !== undefined) out.push({ edge, op });
  }
  return out;
}

/** How one remembered attempt went, relative to what it was applied to. */
export type Verdict = 'helped' | 'hurt' | 'failed' | 'neutral';

/** Verdict of a memory entry: failed, or fitness above / below its baseline (neutral when unknown or equal). */
export function verdictOf(entry: MemoryEntry): Verdict {
  if (entry.outcome.status === 'failed') return 'failed';
  if (entry.baseline === null || entry.baseline === undefined) return 'neutral';
  if (entry.outcome.fitness > entry.baseline) return 'helped';
  if (entry.outcome.fitness < entry.baseline) return 'hurt';
  return 'neutral';
}

/** What a memory window teaches an editor. */
export interface MemoryLessons {
  /** "edge:op" assignments that hurt or failed: do not repeat them. */
  avoid: ReadonlySet<string>;
  /** "edge:op" assignments that helped: try them (or their like) again. */
  prefer: ReadonlySet<string>;
  /** Ops that helped somewhere: favoured as edit targets. */
  preferOps: ReadonlySet<OpCode>;
  /** Per intent: +1 per help, -1 per hurt, -2 per failure. */
  intentScore: ReadonlyMap<string, number>;
  /** The entries that were judged, newest last. */
  verdicts: readonly { entry: MemoryEntry; verdict: Verdict }[];
}

/** Key of an assignment in `MemoryLessons` sets. */
export function assignmentKey(edge: number, op: OpCode): string {
  return `${edge}:${op}`;
}

/**
 * Distils a memory window (oldest first) into lessons. Later entries override earlier ones for the
 * same assignment, since the lineage has moved on since.
 */
export function readMemory(memory: readonly MemoryEntry[] | null | undefined): MemoryLessons {
  const avoid = new Set<string>();
  const prefer = new Set<string>();
  const preferOps = new Set<OpCode>();
  const intentScore = new Map<string, number>();
  const verdicts: { entry: MemoryEntry; verdict: Verdict }[] = [];
  for (const entry of memory ?? []) {
    const verdict = verdictOf(entry);
    verdicts.push({ entry, verdict });
    const delta = verdict === 'helped' ? 1 : verdict === 'hurt' ? -1 : verdict === 'failed' ? -2 : 0;
    if (entry.intent) intentScore.set(entry.intent, (intentScore.get(entry.intent) ?? 0) + delta);
    for (const a of parseSuggestion(entry.suggestion)) {
      const key = assignmentKey(a.edge, a.op);
      if (verdict === 'helped') {
        avoid.delete(key);
        prefer.add(key);
        preferOps.add(a.op);
      } else if (verdict === 'hurt' || verdict === 'failed') {
        prefer.delete(key);
        avoid.add(key);
      }
    }
  }
  return { avoid, prefer, preferOps, intentScore, verdicts };
}

/** Lessons from an empty memory. */
export const NO_LESSONS: MemoryLessons = readMemory(null);
