import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { doneFields, evalStats, openAiChunk, openAiError, streamPieces } from './wire-format.ts';

/** What the double was asked, as a test reads it back. */
export interface RecordedRequest {
  route: '/api/chat' | '/api/generate' | '/v1/chat/completions';
  model: string;
  /** The conversation (chat routes) or `[{ role: 'user', content: prompt }]` (generate). */
  messages: { role: string; content: string }[];
  options: Record<string, unknown>;
  format: unknown;
  stream: boolean;
  /** Ollama's top-level `keep_alive` (null when not sent). */
  keepAlive: unknown;
  /** True once the client went away before the answer ended (a stream it stopped reading); false for the double's own `drop`. */
  clientClosedEarly: boolean;
  /** Answer pieces the double wrote (streamed or not), to show when a server stopped generating. */
  piecesSent: number;
}

/** A failure the double plays on the next request instead of answering it. */
export type Fault =
  /** 503 with Ollama's "server busy" error (its queue is full). */
  | { kind: 'busy' }
  /** Any status with Ollama's `{ "error": message }` body (e.g. 500, 429). */
  | { kind: 'status'; status: number; message: string }
  /** Status 200, `afterPieces` streamed pieces, then an `{ "error": message }` line (how Ollama reports a failure mid-stream). */
  | { kind: 'stream-error'; afterPieces: number; message: string }
  /** The connection is destroyed after `afterPieces` streamed pieces (0: before any byte). */
  | { kind: 'drop'; afterPieces: number }
  /** Accepts the request and never finishes it: no headers at all, or (`afterPieces` > 0) that many pieces and then silence, until the client gives up or the double closes. */
  | { kind: 'hang'; afterPieces?: number };

/** Chooses the answer's text; the default echoes the last message. */
export type Responder = (request: RecordedRequest) => string | Promise<string>;

export interface OllamaDoubleOptions {
  /** Installed models; a name without a tag means `:latest`. */
  models?: string[];
  respond?: Responder;
  /** Version `/api/version` reports. */
  version?: string;
  /** Pause between streamed pieces (ms; default 0), so a test can see a client stop reading before the end. */
  pieceDelayMs?: number;
  /** Plays a server that ignores `num_predict` / `max_tokens` (still recorded in `options`), so a client's own token cap can be tested. */
  ignoreTokenLimit?: boolean;
}

/** A running double: its base URL, what it received, and faults to play. */
export interface OllamaDouble {
  readonly url: string;
  readonly requests: RecordedRequest[];
  /** Queues faults, played one per request, in order, before answers resume. */
  fail(...faults: Fault[]): void;
  close(): Promise<void>;
}

class HttpError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

const withTag = (name: string): string => (name.includes(':') ? name : `${name}:latest`);
const now = (): string => new Date().toISOString();

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') throw new HttpError(400, 'EOF');
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (e) {
    throw new HttpError(400, `invalid character in request body: ${(e as Error).message}`);
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new HttpError(400, 'the request body must be a JSON object');
  return body as Record<string, unknown>;
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

/** The request as recorded; throws HttpError 400 for what Ollama rejects. */
function parseRequest(route: RecordedRequest['route'], body: Record<string, unknown>): RecordedRequest {
  const model = body.model;
  if (typeof model !== 'string' || model === '') throw new HttpError(400, 'model is required');
  const options = typeof body.options === 'object' && body.options !== null ? (body.options as Record<string, unknown>) : {};
  let messages: RecordedRequest['messages'];
  if (route === '/api/generate') {
    messages = [{ role: 'user', content: typeof body.prompt === 'string' ? body.prompt : '' }];
  } else {
    if (!Array.isArray(body.messages)) throw new HttpError(400, 'messages must be an array');
    messages = body.messages.map((m: { role?: unknown; content?: unknown }) => ({ role: String(m?.role ?? ''), content: typeof m?.content === 'string' ? m.content : '' }));
  }
  // Ollama's /api routes stream unless told not to; its /v1 route does not unless told to.
  const stream = route === '/v1/chat/completions' ? body.stream === true : body.stream !== false;
  let format: unknown = body.format ?? null;
  if (route === '/v1/chat/completions') {
    if (typeof body.temperature === 'number') options.temperature = body.temperature;
    if (typeof body.seed === 'number') options.seed = body.seed;
    if (typeof body.max_tokens === 'number') options.num_predict = body.max_tokens;
    format = body.format ?? formatFromResponseFormat(body.response_format);
  }
  return { route, model, messages, options, format, stream, keepAlive: body.keep_alive ?? null, clientClosedEarly: false, piecesSent: 0 };
}

/** Ollama's `/v1` maps OpenAI's `response_format` to its own `format`: json_object → 'json', json_schema → the schema. */
function formatFromResponseFormat(rf: unknown): unknown {
  if (typeof rf !== 'object' || rf === null) return null;
  const { type, json_schema: js } = rf as { type?: unknown; json_schema?: { schema?: unknown } };
  if (type === 'json_object') return 'json';
  if (type === 'json_schema') return js?.schema ?? null;
  return null;
}

/** The answer cut to `num_predict` tokens, and why it ended. */
function limitAnswer(answer: string, options: Record<string, unknown>, ignoreLimit: boolean): { pieces: string[]; reason: 'stop' | 'length' } {
  const pieces = streamPieces(answer);
  const limit = !ignoreLimit && typeof options.num_predict === 'number' && options.num_predict > 0 ? options.num_predict : Infinity;
  return pieces.length > limit ? { pieces: pieces.slice(0, limit), reason: 'length' } : { pieces, reason: 'stop' };
}

/**
 * Starts a server on 127.0.0.1 (a free port unless given) that speaks Ollama's HTTP API:
 * `/api/chat`, `/api/generate` (NDJSON streaming by default, `stream: false` for one JSON body),
 * `/api/tags`, `/api/version`, and the OpenAI-compatible `/v1/chat/completions` (SSE when
 * `stream: true`). Unknown models get Ollama's 404; queued faults play busy servers, error
 * statuses, an error line mid-stream and dropped connections.
 */
export async function startOllamaDouble(options: OllamaDoubleOptions = {}, port = 0): Promise<OllamaDouble> {
  const models = (options.models ?? ['qwen2.5-coder:7b']).map(withTag);
  const respond: Responder = options.respond ?? ((r) => r.messages.at(-1)?.content ?? '');
  const requests: RecordedRequest[] = [];
  const faults: Fault[] = [];

  async function answer(route: RecordedRequest['route'], req: IncomingMessage, res: ServerResponse): Promise<void> {
    const openAi = route === '/v1/chat/completions';
    const body = await readJson(req);
    const request = parseRequest(route, body);
    requests.push(request);
    let droppedByUs = false;
    const drop = (): void => {
      droppedByUs = true;
      req.socket.destroy();
    };
    // 'close' before the response finished, and not our own drop: the client stopped reading.
    res.once('close', () => {
      if (!res.writableFinished && !droppedByUs) request.clientClosedEarly = true;
    });
    const fault = faults.shift();
    if (fault?.kind === 'busy') throw new HttpError(503, 'server busy, please try again.  maximum pending requests exceeded');
    if (fault?.kind === 'status') throw new HttpError(fault.status, fault.message);
    if (fault?.kind === 'drop' && fault.afterPieces === 0) return drop();
    if (fault?.kind === 'hang' && !fault.afterPieces) return; // never answered; close() or the client ends it
    if (!models.includes(withTag(request.model))) throw new HttpError(404, `model "${request.model}" not found, try pulling it first`);
    const text = await respond(request);
    const { pieces, reason } = limitAnswer(text, request.options, options.ignoreTokenLimit === true);
    const full = pieces.join('');
    const stats = evalStats(request.messages.map((m) => m.content).join('\n'), full);
    const created = now();
    const id = `chatcmpl-${requests.length}`;
    const createdS = Math.floor(Date.now() / 1000);
    const usage = { prompt_tokens: stats.promptEvalCount, completion_tokens: stats.evalCount, total_tokens: stats.promptEvalCount + stats.evalCount };
    const content = (s: string): Record<string, unknown> => (route === '/api/chat' ? { message: { role: 'assistant', content: s } } : { response: s });

    if (!request.stream) {
      request.piecesSent = pieces.length;
      if (openAi) sendJson(res, 200, { id, object: 'chat.completion', created: createdS, model: request.model, system_fingerprint: 'fp_ollama', choices: [{ index: 0, message: { role: 'assistant', content: full }, finish_reason: reason }], usage });
      else sendJson(res, 200, { model: request.model, created_at: created, ...content(full), ...doneFields(stats, reason) });
      return;
    }

    // One streaming loop for both wire formats: NDJSON lines (/api) or server-sent events (/v1).
    const line = (o: unknown): string => (openAi ? `data: ${JSON.stringify(o)}\n\n` : `${JSON.stringify(o)}\n`);
    const piece = (p: string): unknown => (openAi ? openAiChunk(id, request.model, createdS, { role: 'assistant', content: p }, null) : { model: request.model, created_at: now(), ...content(p), done: false });
    const errorLine = (message: string): unknown => (openAi ? openAiError(message) : { error: message });
    const gone = (): boolean => res.destroyed || res.writableEnded;
    // Resolves once the last piece has left the process: destroying the socket before that would
    // discard the pieces too, and a mid-stream drop would look like a drop before the answer.
    let flushed: Promise<void> = Promise.resolve();
    res.writeHead(200, openAi ? { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' } : { 'content-type': 'application/x-ndjson' });
    for (const [i, p] of pieces.entries()) {
      if (i > 0 && (options.pieceDelayMs ?? 0) > 0) await delay(options.pieceDelayMs ?? 0);
      if (gone()) return; // the client went away: stop generating, as Ollama does
      if (fault?.kind === 'drop' && i === fault.afterPieces) {
        await flushed;
        return drop();
      }
      if (fault?.kind === 'hang' && i === fault.afterPieces) return;
      if (fault?.kind === 'stream-error' && i === fault.afterPieces) return void res.end(line(errorLine(fault.message)));
      flushed = new Promise((resolve) => res.write(line(piece(p)), () => resolve()));
      request.piecesSent += 1;
    }
    if (gone()) return;
    if (!openAi) return void res.end(line({ model: request.model, created_at: now(), ...content(''), ...doneFields(stats, reason) }));
    res.write(line(openAiChunk(id, request.model, createdS, { role: 'assistant', content: '' }, reason)));
    // OpenAI's (and Ollama's /v1) usage chunk: empty choices, sent only when asked for.
    const so = body.stream_options as { include_usage?: unknown } | undefined;
    if (so?.include_usage === true) res.write(line({ id, object: 'chat.completion.chunk', created: createdS, model: request.model, system_fingerprint: 'fp_ollama', choices: [], usage }));
    res.end('data: [DONE]\n\n');
  }

  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const route = async (): Promise<void> => {
      if (req.method === 'GET' && (path === '/' || path === '')) return void res.end('Ollama is running');
      if (req.method === 'GET' && path === '/v1/models') {
        return sendJson(res, 200, { object: 'list', data: models.map((id) => ({ id, object: 'model', created: 1_793_491_200, owned_by: 'library' })) });
      }
      if (req.method === 'GET' && path === '/api/version') return sendJson(res, 200, { version: options.version ?? '0.6.0' });
      if (req.method === 'GET' && path === '/api/tags') {
        return sendJson(res, 200, { models: models.map((name) => ({ name, model: name, modified_at: '2026-11-01T00:00:00Z', size: 4_683_087_332, digest: '0'.repeat(64), details: { format: 'gguf', family: 'qwen2', families: ['qwen2'], parameter_size: '7.6B', quantization_level: 'Q4_K_M' } })) });
      }
      if (req.method === 'POST' && (path === '/api/chat' || path === '/api/generate' || path === '/v1/chat/completions')) return answer(path, req, res);
      throw new HttpError(404, '404 page not found');
    };
    route().catch((e: unknown) => {
      if (res.headersSent || req.socket.destroyed) return;
      const status = e instanceof HttpError ? e.status : 500;
      const message = e instanceof Error ? e.message : String(e);
      sendJson(res, status, path === '/v1/chat/completions' ? openAiError(message, status === 404 ? 'not_found_error' : 'api_error') : { error: message });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const { port: bound } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${bound}`,
    requests,
    fail: (...f) => void faults.push(...f),
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
