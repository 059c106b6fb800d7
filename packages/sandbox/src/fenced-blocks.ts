/** One fenced code block of an answer: its language tag (lower case, '' when none) and its text. */
export interface Block {
  lang: string;
  body: string;
  /** The ```markdown block this one was found in, when it was nested in one. */
  insideOf?: string;
}

/** Blocks whose body is itself Markdown: LLMs wrap their whole answer in one, fences included. */
const MARKDOWN_LANGS = new Set(['markdown', 'md', 'mdx']);
/** How deep ```markdown blocks are opened up; deeper nesting is left as it is (and scanning stays linear). */
const MAX_NESTING = 3;
/**
 * What may stand around a fence on its line: spaces and tabs, and what LLM output and copy-paste
 * put there too: a BOM, no-break and other Unicode spaces, zero-width spaces. Tested one character
 * at a time, so trimming costs at most the line's length.
 */
const SPACE_CHAR = /^[\s\u200b-\u200d\u2060]$/;

/** The index of the first non-space character of `s` at or after `from`. */
function skipSpace(s: string, from = 0): number {
  let i = from;
  while (i < s.length && SPACE_CHAR.test(s[i] as string)) i += 1;
  return i;
}

/** `s` without the space characters at either end. */
function trimSpace(s: string): string {
  const start = skipSpace(s);
  let end = s.length;
  while (end > start && SPACE_CHAR.test(s[end - 1] as string)) end -= 1;
  return s.slice(start, end);
}

interface Fence {
  char: '`' | '~';
  length: number;
  /** The info string, trimmed ('' for a bare fence). */
  info: string;
}

/** Reads a fence line: optional leading space, 3+ backticks or tildes, an info string. Null when the line is no fence. */
function readFence(line: string): Fence | null {
  const start = skipSpace(line);
  const char = line[start];
  if (char !== '`' && char !== '~') return null;
  let end = start;
  while (line[end] === char) end += 1;
  if (end - start < 3) return null;
  const rest = line.slice(end);
  // CommonMark: a backtick fence's info string has no backtick (else it is inline code, e.g. ```x```).
  if (char === '`' && rest.includes('`')) return null;
  return { char, length: end - start, info: trimSpace(rest) };
}

function langOf(info: string): string {
  const word = info.split(/[\s{]/)[0] ?? '';
  return word.toLowerCase();
}

function scan(lines: string[], depth: number, into: Block[], insideOf?: string): void {
  let i = 0;
  while (i < lines.length) {
    const open = readFence(lines[i] as string);
    i += 1;
    if (open === null) continue;
    const lang = langOf(open.info);
    const markdown = MARKDOWN_LANGS.has(lang) && depth < MAX_NESTING;
    const bodyStart = i;
    let nested = 0;
    let closed = false;
    for (; i < lines.length; i += 1) {
      const f = readFence(lines[i] as string);
      if (f === null || f.char !== open.char || f.length < open.length) continue;
      if (f.info !== '') {
        // Inside ```markdown, a ```js line opens an inner block whose bare ``` closes it, not the outer one.
        if (markdown) nested += 1;
        continue;
      }
      if (nested > 0) {
        nested -= 1;
        continue;
      }
      closed = true;
      break;
    }
    const body = lines.slice(bodyStart, i);
    if (closed) i += 1;
    const before = into.length;
    if (markdown) scan(body, depth + 1, into, lang);
    // A markdown block with fences inside stands for those blocks; without any it is a block of its own.
    if (into.length === before) {
      // A closed block's text ends with the newline before its closing fence; a cut-off one ends where the answer does.
      const text = closed ? body.map((l) => `${l}\n`).join('') : body.join('\n');
      into.push(insideOf === undefined ? { lang, body: text } : { lang, body: text, insideOf });
    }
  }
}

/**
 * The fenced blocks of an answer (``` or ~~~, any info string), in order, found by one pass over its
 * lines (linear time). A closing fence is a bare fence of the same character at least as long; an
 * unclosed last fence runs to the end of the answer. A fence may be preceded by any Unicode space
 * (a BOM, a no-break space). The blocks inside a ```markdown block are returned in its place, also
 * when the inner fences are as long as the outer ones.
 */
export function fencedBlocks(answer: string): Block[] {
  const lines = answer.split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
  const blocks: Block[] = [];
  scan(lines, 0, blocks);
  return blocks;
}
