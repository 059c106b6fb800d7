import { Ollama, type ChatResponse } from 'ollama';
import { z } from 'zod';
import { AttemptScope } from './attempt-scope.ts';
import type { ChatRequest, ChatResult, LlmProvider } from './chat-types.ts';
import { classifyFailure, isModelNotFound, sameModel, type FailureFacts } from './classify-failure.ts';
import { parseConfig } from './parse-config.ts';
import { LlmModelNotFoundError, type LlmError } from './llm-errors.ts';
import { StreamAccumulator } from './stream-accumulator.ts';
import { RetryConfig, withRetry, type ProviderDeps } from './with-retry.ts';

/** Settings of an Ollama provider; every field has a default. */
export const OllamaProviderConfig = z.strictObject({
  // Where the Ollama server listens (what `ollama serve` binds by default).
  host: z.string().min(1).default('http://127.0.0.1:11434'),
  // Context window in tokens; Ollama's own default (2048 or 4096) silently cuts long prompts.
  numCtx: z.number().int().positive().default(8192),
  // Cap on generated tokens when a request sets no maxTokens.
  numPredict: z.number().int().positive().default(2048),
  // How long Ollama keeps the model loaded after a request; long, so a search does not reload it between calls.
  keepAlive: z.union([z.string().min(1), z.number()]).default('30m'),
  // Limit on one attempt, request and streaming together; a slow CPU-only model needs minutes.
  timeoutMs: z.number().int().positive().default(300_000),
  // Retries of transient failures (busy, 5xx, broken streams, refused connections, timeouts).
  retry: RetryConfig.prefault({}),
});
/** OllamaProviderConfig as written by a caller (defaults optional). */
export type OllamaProviderConfigInput = z.input<typeof OllamaProviderConfig>;

/** The client library's error (ollama 0.6.4 does not export its ResponseError class). */
type ResponseError = Error & { error: string; status_code: number };
const isResponseError = (e: unknown): e is ResponseError => e instanceof Error && e.name === 'ResponseError' && typeof (e as ResponseError).status_code === 'number';

/**
 * How long Ollama spent generating: its final message's eval_duration (nanoseconds) when the stream
 * got that far, else the time the streamed pieces took (a stream stopped early by `stopWhen` or cut
 * at the token cap ends before Ollama's figures arrive).
 */
function generationMs(final: ChatResponse | undefined, acc: StreamAccumulator): number | null {
  const evalNs = final?.eval_duration;
  if (typeof evalNs === 'number' && Number.isFinite(evalNs) && evalNs > 0) return evalNs / 1e6;
  return acc.streamedGenerationMs();
}

/**
 * An LlmProvider talking to Ollama through the `ollama` npm client. `chat` always streams, sends
 * temperature, seed, num_ctx, num_predict (request.maxTokens or the config's), keep_alive and
 * format, and retries transient failures. Each attempt gets its own client whose fetch carries the
 * attempt's signal, so a timeout, the caller's abort or an early stop ends that request and its
 * stream only (the client's own abort() would end every stream it has open).
 */
export function createOllamaProvider(config: OllamaProviderConfigInput = {}, deps: ProviderDeps = {}): LlmProvider {
  const cfg = parseConfig(OllamaProviderConfig, config, 'Ollama provider');
  const endpoint = cfg.host;

  const clientFor = (scope: AttemptScope): Ollama =>
    new Ollama({ host: cfg.host, fetch: (input, init) => fetch(input, { ...init, signal: init?.signal ? AbortSignal.any([init.signal, scope.signal]) : scope.signal }) });

  const facts = (e: unknown, phase: FailureFacts['phase']): FailureFacts =>
    isResponseError(e) ? { status: e.status_code, message: e.error, phase } : { status: null, message: e instanceof Error ? e.message : String(e), phase };

  /** One GET /api/tags under its own scope; failures classified like any request. */
  async function listOnce(signal?: AbortSignal): Promise<string[]> {
    const scope = new AttemptScope(signal, cfg.timeoutMs, endpoint, 'ollama');
    try {
      const { models } = await clientFor(scope).list();
      return models.map((m) => m.name);
    } catch (e) {
      throw scope.abortError() ?? classifyFailure(e, facts(e, 'request'), endpoint, 'ollama');
    } finally {
      scope.dispose();
    }
  }

  /** The model's 404 becomes LlmModelNotFoundError listing what is installed (one look at /api/tags, no retries). */
  async function notFound(error: LlmError, model: string, signal?: AbortSignal): Promise<LlmError> {
    if (!isModelNotFound(error)) return error;
    const available = await listOnce(signal).catch(() => null);
    return new LlmModelNotFoundError([model], endpoint, available, 'ollama', { cause: error });
  }

  async function attempt(request: ChatRequest): Promise<Omit<ChatResult, 'attempts' | 'durationMs'>> {
    const scope = new AttemptScope(request.signal, cfg.timeoutMs, endpoint, 'ollama');
    const acc = new StreamAccumulator(request);
    let final: ChatResponse | undefined;
    let phase: FailureFacts['phase'] = 'request';
    try {
      const stream = await clientFor(scope).chat({
        model: request.model,
        messages: request.messages,
        stream: true,
        keep_alive: cfg.keepAlive,
        ...(request.format === undefined ? {} : { format: request.format }),
        options: {
          temperature: request.temperature,
          ...(request.seed === undefined ? {} : { seed: request.seed }),
          num_ctx: cfg.numCtx,
          num_predict: request.maxTokens ?? cfg.numPredict,
        },
      });
      phase = 'stream';
      for await (const part of stream) {
        if (acc.add(part.message?.content)) {
          scope.abort('stop'); // the server sees the connection close and stops generating
          break;
        }
        if (part.done) final = part;
      }
    } catch (e) {
      if (scope.cause !== 'stop') throw scope.abortError() ?? (await notFound(classifyFailure(e, facts(e, phase), endpoint, 'ollama'), request.model, request.signal));
    } finally {
      scope.dispose();
    }
    if (acc.callbackError !== undefined) throw acc.callbackError;
    const complete = final !== undefined && !acc.stoppedEarly && !acc.truncated;
    return {
      text: acc.text,
      model: request.model,
      provider: 'ollama',
      promptTokens: complete ? (final?.prompt_eval_count ?? null) : null,
      completionTokens: complete ? (final?.eval_count ?? acc.pieces) : acc.pieces,
      stoppedEarly: acc.stoppedEarly,
      truncated: acc.truncated || (complete && final?.done_reason === 'length'),
      generationMs: generationMs(final, acc),
    };
  }

  return {
    kind: 'ollama',
    endpoint,
    async chat(request) {
      const started = performance.now();
      const { value, attempts } = await withRetry(() => attempt(request), { ...deps, retry: cfg.retry, endpoint, signal: request.signal });
      return { ...value, attempts, durationMs: performance.now() - started };
    },
    async checkModels(models) {
      const { value: installed } = await withRetry(() => listOnce(), { ...deps, retry: cfg.retry, endpoint });
      const missing = models.filter((m) => !installed.some((i) => sameModel(i, m)));
      if (missing.length > 0) throw new LlmModelNotFoundError(missing, endpoint, installed, 'ollama');
    },
  };
}
