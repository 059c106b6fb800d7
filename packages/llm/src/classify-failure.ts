import { LlmRequestError, LlmTransientError, type LlmError, type ServerKind } from './llm-errors.ts';

/** HTTP statuses that mean "not now" rather than "never": rate limits, crashes, overload, a proxy's gateway errors. */
export const TRANSIENT_STATUSES: ReadonlySet<number> = new Set([429, 500, 502, 503, 504]);

// Error codes (walked down the `cause` chain) of connections that were refused, reset or cut;
// undici wraps them in "fetch failed" / "terminated".
const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CLOSED']);
const CONNECTION_MESSAGES = /fetch failed|socket hang up|terminated|other side closed|connection error|econnrefused|econnreset|did not receive done/i;

/** The facts a provider extracted from its client library's error. */
export interface FailureFacts {
  /** The HTTP status when the server answered with an error status, else null. */
  status: number | null;
  /** The server's own message (its `error` field), or the error's message. */
  message: string;
  /** 'stream': the response had started (an error line mid-stream, a cut stream); 'request': it had not. */
  phase: 'request' | 'stream';
}

/** Whether `error` (or one of its causes) is a refused, reset or cut connection. */
export function isConnectionFailure(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e !== undefined && e !== null && depth < 8; depth += 1) {
    const { code, message } = e as { code?: unknown; message?: unknown };
    if (typeof code === 'string' && CONNECTION_CODES.has(code)) return true;
    if (typeof message === 'string' && CONNECTION_MESSAGES.test(message)) return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

/**
 * Maps one failed request to the error the retry loop acts on: a transient status, anything that
 * broke after the stream had started, or a lost connection → LlmTransientError (retried); any other
 * status → LlmRequestError (not). A 404 comes back as LlmRequestError too: the provider decides
 * whether it is about the model. An unexplained error before any response is not retried either:
 * repeating an unknown failure five times only hides it.
 */
export function classifyFailure(error: unknown, facts: FailureFacts, endpoint: string, server: ServerKind): LlmError {
  const { status, message, phase } = facts;
  if (status !== null) {
    if (TRANSIENT_STATUSES.has(status)) return new LlmTransientError('status', status, message, endpoint, server, { cause: error });
    return new LlmRequestError(status, message, endpoint, server, { cause: error });
  }
  if (phase === 'stream') return new LlmTransientError('stream', null, message, endpoint, server, { cause: error });
  if (isConnectionFailure(error)) return new LlmTransientError('connection', null, describeConnectionFailure(error), endpoint, server, { cause: error });
  return new LlmRequestError(null, message, endpoint, server, { cause: error });
}

/** "fetch failed" says nothing; the cause's code (ECONNREFUSED…) does. */
function describeConnectionFailure(error: unknown): string {
  const parts: string[] = [];
  for (let e: unknown = error, depth = 0; e !== undefined && e !== null && depth < 8; depth += 1) {
    const { code, message } = e as { code?: unknown; message?: unknown };
    const part = [typeof message === 'string' ? message : '', typeof code === 'string' && !String(message).includes(code) ? `(${code})` : ''].filter(Boolean).join(' ');
    if (part !== '' && !parts.includes(part)) parts.push(part);
    e = (e as { cause?: unknown }).cause;
  }
  return parts.join(': ') || String(error);
}

/** A 404 whose message speaks of a model: the model is missing (a 404 about a path means a wrong URL instead). */
export function isModelNotFound(error: LlmError): error is LlmRequestError {
  return error instanceof LlmRequestError && error.status === 404 && /model/i.test(error.serverMessage);
}

/** `name` and `name:latest` are the same model to Ollama; servers without tags are unaffected. */
export function sameModel(a: string, b: string): boolean {
  const tagged = (n: string): string => (n.includes(':') ? n : `${n}:latest`);
  return tagged(a) === tagged(b);
}
