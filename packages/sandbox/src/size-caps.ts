import type { Failure } from '@nasfleet/contracts';

/** Default cap on an LLM's raw answer, UTF-8 bytes: prose plus a network definition fits in far less. */
export const DEFAULT_MAX_ANSWER_BYTES = 256 << 10;

/**
 * A 'too-large' failure when `text` is over `capBytes` UTF-8 bytes, else null. Checked before any
 * parsing or sandboxing, so that an oversized answer costs one length check and nothing else.
 */
export function sizeCapFailure(what: 'answer' | 'code', text: string, capBytes: number): Failure | null {
  // UTF-8 takes at most 3 bytes per UTF-16 unit: most texts pass without being measured.
  if (text.length * 3 <= capBytes) return null;
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes <= capBytes) return null;
  const cap = what === 'answer' ? 'maxAnswerBytes' : 'maxCodeBytes';
  return { class: 'too-large', message: `the ${what} is ${bytes} bytes, over the ${capBytes}-byte cap (${cap}); a network definition needs far less` };
}
