import type { ChatRequest } from './chat-types.ts';

/**
 * Collects one attempt's streamed pieces and decides when to stop reading: when `stopWhen` fires
 * (stoppedEarly) or when a piece beyond `maxTokens` arrives (truncated; that piece is dropped, so the
 * text holds at most `maxTokens` pieces even from a server that ignores the cap). Each piece counts
 * as one token: Ollama and the OpenAI-compatible servers stream one token per chunk. It also notes
 * when the first and the last piece arrived, for the generation time of a stream cut before the
 * server's own figures (see streamedGenerationMs).
 */
export class StreamAccumulator {
  text = '';
  pieces = 0;
  stoppedEarly = false;
  truncated = false;
  /** What `stopWhen` threw, if it did: the caller's bug, rethrown as is rather than retried. */
  callbackError: unknown = undefined;
  private firstPieceAt: number | null = null;
  private lastPieceAt: number | null = null;

  /** `now`: milliseconds on a monotonic clock (default performance.now), injected by tests. */
  constructor(
    private readonly request: Pick<ChatRequest, 'maxTokens' | 'stopWhen'>,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /**
   * The generation time the stream shows: from the first piece to the last, scaled from the pieces
   * after the first to all of them (the first piece's own time is hidden in the wait for it, with the
   * prompt's processing). Null with fewer than two pieces. For servers or streams without figures of
   * their own (Ollama's eval_duration comes only with its final message).
   */
  streamedGenerationMs(): number | null {
    if (this.pieces < 2 || this.firstPieceAt === null || this.lastPieceAt === null) return null;
    return ((this.lastPieceAt - this.firstPieceAt) * this.pieces) / (this.pieces - 1);
  }

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
    this.lastPieceAt = this.now();
    this.firstPieceAt ??= this.lastPieceAt;
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
