import type { ChatRequest } from './chat-types.ts';

/**
 * Collects one attempt's streamed pieces and decides when to stop reading: when `stopWhen` fires
 * (stoppedEarly) or when a piece beyond `maxTokens` arrives (truncated; that piece is dropped, so the
 * text holds at most `maxTokens` pieces even from a server that ignores the cap). Each piece counts
 * as one token: Ollama and the OpenAI-compatible servers stream one token per chunk.
 */
export class StreamAccumulator {
  text = '';
  pieces = 0;
  stoppedEarly = false;
  truncated = false;
  /** What `stopWhen` threw, if it did: the caller's bug, rethrown as is rather than retried. */
  callbackError: unknown = undefined;

  constructor(private readonly request: Pick<ChatRequest, 'maxTokens' | 'stopWhen'>) {}

  /** Adds a piece; true when reading must stop now. Empty pieces (role-only or final chunks) are ignored. */
  add(piece: string | null | undefined): boolean {
    if (piece === null || piece === undefined || piece === '') return false;
    const { maxTokens, stopWhen } = this.request;
    if (maxTokens !== undefined && this.pieces >= maxTokens) {
      this.truncated = true;
      return true;
    }
    this.text += piece;
    this.pieces += 1;
    if (stopWhen === undefined) return false;
    try {
      this.stoppedEarly = stopWhen(this.text);
    } catch (e) {
      this.callbackError = e ?? new Error('stopWhen threw');
      return true;
    }
    return this.stoppedEarly;
  }
}
