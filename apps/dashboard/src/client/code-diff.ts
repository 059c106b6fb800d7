import { structuredPatch } from 'diff';

/** One line of a diff as drawn: unchanged context, added, removed, or a hunk header. */
export interface DiffLine {
  kind: 'context' | 'added' | 'removed' | 'hunk';
  text: string;
}

/**
 * A candidate's code as shown: the code space's TF.js code as it is; an NB201 cell string
 * (`|op~0|+|op~0|op~1|+|…|`) one node per line, so that its diff shows which node changed.
 */
export function displayCode(space: string | null, code: string): string {
  if (space === 'nb201' && !code.includes('\n')) return code.split('+').join('\n');
  return code;
}

/** The unified diff (jsdiff's structuredPatch, 3 lines of context) of the parent's code to the child's; empty when equal. */
export function diffLines(parent: string, child: string): DiffLine[] {
  const patch = structuredPatch('parent', 'candidate', parent.endsWith('\n') ? parent : `${parent}\n`, child.endsWith('\n') ? child : `${child}\n`, '', '', { context: 3 });
  const out: DiffLine[] = [];
  for (const hunk of patch.hunks) {
    out.push({ kind: 'hunk', text: `@@ -${hunk.oldStart},${hunk.oldLines} +${hunk.newStart},${hunk.newLines} @@` });
    for (const line of hunk.lines) {
      if (line.startsWith('\\')) continue;
      const kind = line.startsWith('+') ? 'added' : line.startsWith('-') ? 'removed' : 'context';
      out.push({ kind, text: line });
    }
  }
  return out;
}
