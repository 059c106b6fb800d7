/**
 * The errors a provider throws. Callers branch on the class (or on `retryable`), never on a message
 * or on which client library raised the original error (that one is kept as `cause`).
 */

/** Which kind of server an error came from, for messages. */
export type ServerKind = 'ollama' | 'openai';

const serverName = (kind: ServerKind): string => (kind === 'ollama' ? 'Ollama server' : 'OpenAI-compatible server');

/**
 * Base of every provider error. `retryable`: true when the cause is transient (the same request may
 * succeed later); false when repeating it cannot help. `endpoint` is the host or base URL.
 */
export abstract class LlmError extends Error {
  abstract readonly retryable: boolean;
  constructor(message: string, readonly endpoint: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/**
 * A model the server does not have (its 404, or missing from its list in `checkModels`). Never
 * retried. `available` is what the server does have, or null when that list could not be read.
 */
export class LlmModelNotFoundError extends LlmError {
  readonly retryable = false;
  constructor(readonly models: string[], endpoint: string, readonly available: string[] | null, readonly server: ServerKind, options?: { cause?: unknown }) {
    super(modelNotFoundMessage(models, endpoint, available, server), endpoint, options);
  }
}

function modelNotFoundMessage(models: string[], endpoint: string, available: string[] | null, server: ServerKind): string {
  const names = models.map((m) => `"${m}"`).join(', ');
  const subject = models.length === 1 ? `model ${names} is` : `models ${names} are`;
  const where = server === 'ollama' ? `not installed on the Ollama server at ${endpoint}` : `not served by the OpenAI-compatible server at ${endpoint}`;
  const fix = server === 'ollama' ? `pull ${models.length === 1 ? 'it' : 'them'} with ${models.map((m) => `\`ollama pull ${m}\``).join(' and ')}, or ` : '';
  const choice = available === null ? 'its model list could not be read' : available.length === 0 ? 'it has no models at all' : `choose one of: ${available.join(', ')}`;
  return `${subject} ${where}: ${fix}${choice}`;
}

/**
 * The server refused the request itself (400, 401, 403, 413, a 404 that is not about a model, …):
 * sending it again cannot help. `status` is null when the failure had no HTTP status (an unexpected
 * client error); `serverMessage` is the server's own words.
 */
export class LlmRequestError extends LlmError {
  readonly retryable = false;
  constructor(readonly status: number | null, readonly serverMessage: string, endpoint: string, server: ServerKind, options?: { cause?: unknown }) {
    super(`the ${serverName(server)} at ${endpoint} rejected the request${status === null ? '' : ` (HTTP ${status})`}: ${serverMessage}`, endpoint, options);
  }
}

/** What broke in a transient failure: an HTTP status (429, 5xx), the stream mid-answer, or the connection. */
export type TransientKind = 'status' | 'stream' | 'connection';

/**
 * A failure worth retrying: 429/500/502/503/504, an error line or event in the middle of a stream,
 * a dropped or refused connection. Providers retry it themselves; callers see it only as the
 * `lastError` of an `LlmUnavailableError`.
 */
export class LlmTransientError extends LlmError {
  readonly retryable = true;
  constructor(readonly kind: TransientKind, readonly status: number | null, detail: string, endpoint: string, server: ServerKind, options?: { cause?: unknown }) {
    const what = kind === 'status' ? `HTTP ${status} from the ${serverName(server)} at ${endpoint}` : kind === 'stream' ? `the stream from the ${serverName(server)} at ${endpoint} broke` : `cannot reach the ${serverName(server)} at ${endpoint}`;
    super(`${what}: ${detail}`, endpoint, options);
  }
}

/** One attempt took longer than `timeoutMs` (request and streaming together) and was aborted. Retryable. */
export class LlmTimeoutError extends LlmError {
  readonly retryable = true;
  constructor(readonly timeoutMs: number, endpoint: string, server: ServerKind) {
    super(`no complete answer from the ${serverName(server)} at ${endpoint} within ${timeoutMs} ms (aborted)`, endpoint);
  }
}

/**
 * Every attempt failed with a transient error. `retryable` is true: the server may come back, so a
 * caller may try again much later (the provider has already backed off between its own attempts).
 */
export class LlmUnavailableError extends LlmError {
  readonly retryable = true;
  constructor(readonly attempts: number, readonly lastError: LlmError, endpoint: string) {
    super(`the LLM server at ${endpoint} is unavailable: ${attempts} attempt${attempts === 1 ? '' : 's'} failed; the last: ${lastError.message}`, endpoint, { cause: lastError });
  }
}

/**
 * The caller's `signal` aborted the request (before, during, or between attempts). Never retried.
 * Its `name` is 'AbortError', as code that checks for fetch's abort expects.
 */
export class LlmAbortError extends LlmError {
  readonly retryable = false;
  constructor(endpoint: string, reason?: unknown) {
    super(`the request to ${endpoint} was aborted by the caller`, endpoint, { cause: reason });
    this.name = 'AbortError';
  }
}
