/**
 * The one interface every provider implements, so that the rest of the system never sees which
 * server (or client library) it talks to.
 */

/** One message of a conversation. */
export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/** One chat completion to run; the provider streams it. */
export interface ChatRequest {
  model: string;
  messages: ChatMessage[];
  temperature: number;
  seed?: number;
  /** 'json' or a JSON schema object: Ollama's `format`; OpenAI-compatible: response_format (json_object / json_schema). */
  format?: 'json' | Record<string, unknown>;
  /** Cap on generated tokens: sent to the server (num_predict / max_tokens) AND enforced while reading the stream (cut off, truncated: true). */
  maxTokens?: number;
  /** Called with the text so far after each streamed piece; true stops reading the stream early (the server's stream is aborted). */
  stopWhen?: (textSoFar: string) => boolean;
  signal?: AbortSignal;
}

/** A finished chat: the text (possibly cut early, see the flags) and what it cost. */
export interface ChatResult {
  text: string;
  model: string;
  provider: 'ollama' | 'openai';
  /** As the server counted them; null when it did not say (e.g. the stream was stopped before its final message). */
  promptTokens: number | null;
  /** The server's count when it gave one, else the streamed pieces read (one token each on Ollama and most servers). */
  completionTokens: number | null;
  /** Wall-clock time of the whole call, retries and back-off included. */
  durationMs: number;
  /**
   * Time the server spent generating the completion, without the prompt's processing or a model
   * load: Ollama's eval_duration, or the streamed time when the stream ended before its final
   * message. Null or absent when unknown (OpenAI-compatible servers). Tokens per second divide by it.
   */
  generationMs?: number | null;
  /** `stopWhen` fired: the stream was aborted and `text` is what had arrived. */
  stoppedEarly: boolean;
  /** The token cap ended the answer (the server's 'length' finish, or the provider's own cut). */
  truncated: boolean;
  /** Requests sent for this result (1 when the first one succeeded). */
  attempts: number;
}

/** A chat server behind one interface: Ollama through its own client, or any OpenAI-compatible server. */
export interface LlmProvider {
  readonly kind: 'ollama' | 'openai';
  /** Host or base URL, for messages. */
  readonly endpoint: string;
  /**
   * Streams one completion, retrying transient failures. Throws LlmModelNotFoundError,
   * LlmRequestError, LlmUnavailableError (retries exhausted) or LlmAbortError (the caller's signal).
   */
  chat(request: ChatRequest): Promise<ChatResult>;
  /** Throws LlmModelNotFoundError naming the missing model(s), the endpoint and the models that ARE there. Used before a search starts. */
  checkModels(models: string[]): Promise<void>;
}
