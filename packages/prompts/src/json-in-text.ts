/** Largest answer searched for JSON: an improver's answer is a few hundred bytes, a ramble is cut here. */
const MAX_SCAN = 256 << 10;
/** How many opening braces are tried as the start of an object (each scan is linear). */
const MAX_STARTS = 32;

/** The end (exclusive) of the balanced {...} starting at `start`, strings and escapes respected; -1 when it never closes. */
function balancedEnd(text: string, start: number): number {
  let depth = 0;
  let inString: string | null = null;
  for (let i = start; i < text.length; i++) {
    const c = text[i]!;
    if (inString !== null) {
      if (c === '\\') i++;
      else if (c === inString) inString = null;
      continue;
    }
    if (c === '"') inString = c;
    else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return i + 1;
  }
  return -1;
}

/** Closes what a cut-off object left open (a string, then its braces), as an answer cut at the token cap needs. */
function closeCutOff(text: string): string {
  const stack: string[] = [];
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    else if (c === '{' || c === '[') stack.push(c === '{' ? '}' : ']');
    else if (c === '}' || c === ']') stack.pop();
  }
  const body = inString ? `${text}"` : text.replace(/[\s,:]+$/, '');
  return body + stack.reverse().join('');
}

/** Repairs small-model slips that make JSON.parse fail: trailing commas, smart quotes as delimiters, // comments on their own line. */
function repair(text: string): string {
  return text
    .replace(/^\s*\/\/[^\n]*$/gm, '')
    .replace(/[\u201c\u201d]/g, '"')
    .replace(/,(\s*[}\]])/g, '$1');
}

function tryParse(text: string): unknown {
  const repaired = repair(text);
  // Python-dict style ({'problem': ...}): only when no double quote is there to be confused with.
  const candidates = repaired.includes('"') ? [text, repaired] : [text, repaired, repaired.replace(/'/g, '"')];
  for (const candidate of candidates) {
    try {
      return JSON.parse(candidate);
    } catch {
      // next candidate
    }
  }
  return undefined;
}

/**
 * The JSON objects an LLM answer holds, most likely first: the whole answer, the bodies of ```json
 * (or bare) fenced blocks, then each balanced {...} in the text (JSON after prose), then a cut-off
 * object closed. Each is parsed as is, then with trailing commas and smart quotes repaired. Only
 * objects are returned. Linear in the answer's length per start tried; answers are capped at 256 KiB.
 */
export function jsonObjectsIn(answer: string): Record<string, unknown>[] {
  const text = answer.length > MAX_SCAN ? answer.slice(0, MAX_SCAN) : answer;
  const found: Record<string, unknown>[] = [];
  const take = (candidate: string) => {
    const value = tryParse(candidate.trim());
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) found.push(value as Record<string, unknown>);
  };
  take(text);
  for (const m of text.matchAll(/```[^\S\n]*(?:json|javascript|js)?[^\S\n]*\n([\s\S]*?)```/gi)) take(m[1]!);
  let starts = 0;
  let lastOpen = -1;
  for (let i = text.indexOf('{'); i >= 0 && starts < MAX_STARTS; i = text.indexOf('{', i + 1)) {
    starts++;
    const end = balancedEnd(text, i);
    if (end < 0) {
      lastOpen = lastOpen < 0 ? i : lastOpen;
      break;
    }
    take(text.slice(i, end));
    i = end - 1;
  }
  if (found.length === 0 && lastOpen >= 0) take(closeCutOff(text.slice(lastOpen)));
  return found;
}
