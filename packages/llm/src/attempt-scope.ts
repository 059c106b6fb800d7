import { LlmAbortError, LlmTimeoutError, type LlmError, type ServerKind } from './llm-errors.ts';

/** Why an attempt's requests were aborted: the caller's signal, the timeout, or the provider itself (early stop, token cap). */
export type AbortCause = 'caller' | 'timeout' | 'stop';

/**
 * One attempt's abort signal, which ends its request and its stream for any of three causes and
 * remembers which came first. The client libraries report every abort alike (an AbortError, a
 * "Request was aborted"), so the cause must be known here, not read back from their errors.
 */
export class AttemptScope {
  private readonly controller = new AbortController();
  private readonly timer: NodeJS.Timeout;
  private readonly onCallerAbort = (): void => this.abort('caller');
  /** The first cause, or null while the attempt runs. */
  cause: AbortCause | null = null;

  constructor(private readonly callerSignal: AbortSignal | undefined, readonly timeoutMs: number, private readonly endpoint: string, private readonly server: ServerKind) {
    this.timer = setTimeout(() => this.abort('timeout'), timeoutMs);
    if (callerSignal?.aborted) this.abort('caller');
    else callerSignal?.addEventListener('abort', this.onCallerAbort, { once: true });
  }

  /** The signal to hand to the client library's request (and through it, to the stream). */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Aborts the request and its stream; the first cause wins. */
  abort(cause: AbortCause): void {
    if (this.cause !== null) return;
    this.cause = cause;
    this.controller.abort(new Error(`aborted: ${cause}`));
  }

  /** The error an abort must surface as, whatever the library threw: null when this scope did not abort (or aborted for an early stop). */
  abortError(): LlmError | null {
    if (this.cause === 'caller') return new LlmAbortError(this.endpoint, this.callerSignal?.reason);
    if (this.cause === 'timeout') return new LlmTimeoutError(this.timeoutMs, this.endpoint, this.server);
    return null;
  }

  /** Stops the timer and the caller listener; call when the attempt ends, however it ends. */
  dispose(): void {
    clearTimeout(this.timer);
    this.callerSignal?.removeEventListener('abort', this.onCallerAbort);
  }
}
