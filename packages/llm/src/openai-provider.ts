import OpenAI, { APIError } from 'openai';
import { z } from 'zod';
import { AttemptScope } from './attempt-scope.ts';
import type { ChatRequest, ChatResult, LlmProvider } from './chat-types.ts';
import { classifyFailure, isModelNotFound, sameModel, type FailureFacts } from './classify-failure.ts';
import { parseConfig } from './parse-config.ts';
import { LlmModelNotFoundError, LlmTransientError, type LlmError } from './llm-errors.ts';
import { StreamAccumulator } from './stream-accumulator.ts';
import { RetryConfig, withRetry, type ProviderDeps } from './with-retry.ts';

/** Settings of a provider for any OpenAI-compatible server (vLLM, llama.cpp server, Ollama's /v1); every field has a default. */
export const OpenAiProviderConfig = z.strictObject({
  // The server's OpenAI base URL, /v1 included (this default is Ollama's own).
  baseUrl: z.string().min(1).default('http://127.0.0.1:11434/v1'),
  // Sent as a bearer token; local servers like Ollama ignore it, but the client requires one.
  apiKey: z.string().min(1).default('not-needed'),
  // Limit on one attempt, request and streaming together.
  timeoutMs: z.number().int().positive().default(300_000),
  // Asks for the final usage chunk (stream_options.include_usage); turn off for a server that rejects the field.
  streamUsage: z.boolean().default(true),
  // Retries of transient failures, ours rather than the client's (its maxRetries is 0) so both providers behave alike.
  retry: RetryConfig.prefault({}),
});
/** OpenAiProviderConfig as written by a caller (defaults optional). */
export type OpenAiProviderConfigInput = z.input<typeof OpenAiProviderConfig>;

type ResponseFormat = OpenAI.Chat.Completions.ChatCompletionCreateParams['response_format'];

/** `format` in OpenAI's terms: 'json' → json_object, a schema → json_schema. */
function responseFormat(format: ChatRequest['format']): ResponseFormat | undefined {
  if (format === undefined) return undefined;
  if (format === 'json') return { type: 'json_object' };
  return { type: 'json_schema', json_schema: { name: 'response', schema: format, strict: true } };
}

/** The server's own words: OpenAI's `{error:{message}}`, not the client's "404 …" prefix. */
function facts(e: unknown, phase: FailureFacts['phase']): FailureFacts {
  const message = e instanceof Error ? e.message : String(e);
  if (!(e instanceof APIError)) return { status: null, message, phase };
  const body = e.error as { message?: unknown } | undefined;
  return { status: e.status ?? null, message: typeof body?.message === 'string' ? body.message : message, phase };
}

/**
 * An LlmProvider for any OpenAI-compatible server through the `openai` client (its own retries off;
 * ours run instead). `chat` streams server-sent events and sends temperature, seed, max_tokens and
 * response_format; `checkModels` reads GET /models. Each attempt's request carries the attempt's
 * signal, so a timeout, the caller's abort or an early stop ends that stream only.
 */
export function createOpenAiProvider(config: OpenAiProviderConfigInput = {}, deps: ProviderDeps = {}): LlmProvider {
  const cfg = parseConfig(OpenAiProviderConfig, config, 'OpenAI-compatible provider');
  const endpoint = cfg.baseUrl;
  // The client's own timeout covers only the wait for headers; ours (AttemptScope) covers the stream too.
  const client = new OpenAI({ baseURL: cfg.baseUrl, apiKey: cfg.apiKey, maxRetries: 0, timeout: cfg.timeoutMs });

  async function listOnce(signal?: AbortSignal): Promise<string[]> {
    const scope = new AttemptScope(signal, cfg.timeoutMs, endpoint, 'openai');
    try {
      const page = await client.models.list({ signal: scope.signal });
      return page.data.map((m) => m.id);
    } catch (e) {
      throw scope.abortError() ?? classifyFailure(e, facts(e, 'request'), endpoint, 'openai');
    } finally {
      scope.dispose();
    }
  }

  async function notFound(error: LlmError, model: string, signal?: AbortSignal): Promise<LlmError> {
    if (!isModelNotFound(error)) return error;
    const available = await listOnce(signal).catch(() => null);
    return new LlmModelNotFoundError([model], endpoint, available, 'openai', { cause: error });
  }

  async function attempt(request: ChatRequest): Promise<Omit<ChatResult, 'attempts' | 'durationMs'>> {
    const scope = new AttemptScope(request.signal, cfg.timeoutMs, endpoint, 'openai');
    const acc = new StreamAccumulator(request);
    let finish: string | null = null;
    let usage: OpenAI.CompletionUsage | undefined;
    let phase: FailureFacts['phase'] = 'request';
    try {
      const format = responseFormat(request.format);
      const stream = await client.chat.completions.create(
        {
          model: request.model,
          messages: request.messages,
          stream: true,
          temperature: request.temperature,
          ...(request.seed === undefined ? {} : { seed: request.seed }),
          ...(request.maxTokens === undefined ? {} : { max_tokens: request.maxTokens }),
          ...(format === undefined ? {} : { response_format: format }),
          ...(cfg.streamUsage ? { stream_options: { include_usage: true } } : {}),
        },
        { signal: scope.signal },
      );
      phase = 'stream';
      for await (const chunk of stream) {
        const choice = chunk.choices[0];
        if (acc.add(choice?.delta?.content)) {
          scope.abort('stop'); // closes the connection: the server stops generating
          break;
        }
        if (choice?.finish_reason) finish = choice.finish_reason;
        if (chunk.usage) usage = chunk.usage;
      }
      if (finish === null && !acc.stoppedEarly && !acc.truncated && acc.callbackError === undefined) {
        throw new LlmTransientError('stream', null, 'the stream ended before the answer was finished', endpoint, 'openai');
      }
    } catch (e) {
      if (scope.cause !== 'stop') throw scope.abortError() ?? (e instanceof LlmTransientError ? e : await notFound(classifyFailure(e, facts(e, phase), endpoint, 'openai'), request.model, request.signal));
    } finally {
      scope.dispose();
    }
    if (acc.callbackError !== undefined) throw acc.callbackError;
    const complete = finish !== null && !acc.stoppedEarly && !acc.truncated;
    return {
      text: acc.text,
      model: request.model,
      provider: 'openai',
      promptTokens: complete ? (usage?.prompt_tokens ?? null) : null,
      completionTokens: complete ? (usage?.completion_tokens ?? acc.pieces) : acc.pieces,
      stoppedEarly: acc.stoppedEarly,
      truncated: acc.truncated || (complete && finish === 'length'),
    };
  }

  return {
    kind: 'openai',
    endpoint,
    async chat(request) {
      const started = performance.now();
      const { value, attempts } = await withRetry(() => attempt(request), { ...deps, retry: cfg.retry, endpoint, signal: request.signal });
      return { ...value, attempts, durationMs: performance.now() - started };
    },
    async checkModels(models) {
      const { value: served } = await withRetry(() => listOnce(), { ...deps, retry: cfg.retry, endpoint });
      const missing = models.filter((m) => !served.some((s) => sameModel(s, m)));
      if (missing.length > 0) throw new LlmModelNotFoundError(missing, endpoint, served, 'openai');
    },
  };
}
