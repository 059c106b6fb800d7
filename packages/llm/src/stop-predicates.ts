/**
 * Ready-made `stopWhen` predicates. A model asked for one code block or one JSON object often goes
 * on talking after it; stopping the stream there saves the generation time of the ramble.
 */

const OPENING_FENCE = /^ {0,3}(`{3,})([^`]*)$/;
const CLOSING_FENCE = /^ {0,3}(`{3,})[ \t]*$/;

/**
 * True once `text` holds a fenced code block (```lang … ```) that is both opened and closed. A
 * fence is a line of three or more backticks (up to three spaces of indent); an opening fence may
 * carry an info string without backticks, a closing one only trailing blanks and must be at least
 * as long as its opener. A closing fence at the very end of the text counts, so the text can stop
 * right after it.
 */
export function completeCodeBlock(text: string): boolean {
  let open: number | null = null; // length of the open fence, or null outside a block
  for (const line of text.split('\n')) {
    const fence: RegExpExecArray | null = (open === null ? OPENING_FENCE : CLOSING_FENCE).exec(line.replace(/\r$/, ''));
    if (fence === null) continue;
    const length: number = fence[1]?.length ?? 0;
    if (open === null) open = length;
    else if (length >= open) return true;
  }
  return false;
}

/**
 * True once a balanced top-level `{ … }` has arrived: braces inside strings (escapes respected) do
 * not count, and text before the first `{` (prose, a ```json fence) is ignored.
 */
export function completeJsonObject(text: string): boolean {
  const start = text.indexOf('{');
  if (start < 0) return false;
  let depth = 0;
  let inString = false;
  let escaped = false;
  for (let i = start; i < text.length; i += 1) {
    const c = text[i];
    if (inString) {
      if (escaped) escaped = false;
      else if (c === '\\') escaped = true;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{' || c === '[') depth += 1;
    else if (c === '}' || c === ']') {
      depth -= 1;
      if (depth === 0) return c === '}';
    }
  }
  return false;
}
