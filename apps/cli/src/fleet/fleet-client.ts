import { z } from 'zod';

/**
 * A call to the fleet's API that failed: the message says what was wrong, in one line (exit 1).
 * `status`: the HTTP status (null: no answer); `code`: the API's error code, or the network error's
 * (ECONNREFUSED, TIMEOUT, …) when there was no answer.
 */
export class FleetError extends Error {
  override name = 'FleetError';
  constructor(message: string, readonly status: number | null = null, readonly code: string | null = null) {
    super(message);
  }
}

/** The API's error body: `{ error: { code, message } }` (docs/api.md). */
const ErrorBody = z.object({ error: z.object({ code: z.string(), message: z.string() }) });

/** Where the fleet is and how to get in. */
export interface FleetTarget {
  /** The API's base URL (a path prefix, behind a proxy, is kept). */
  url: URL;
  token: string;
}

export interface RequestOptions {
  body?: unknown;
  headers?: Record<string, string>;
  /** Abort the call with this signal (default: a 30 s timeout; streams pass their own). */
  signal?: AbortSignal;
}

/** Node's network error codes, in words. */
const NETWORK_PROBLEMS: Record<string, string> = {
  ECONNREFUSED: 'connection refused (is the orchestrator running, with API_TOKEN set, on that port?)',
  ENOTFOUND: 'no such host',
  EAI_AGAIN: 'the host name could not be resolved (DNS)',
  ECONNRESET: 'the connection was reset',
  ETIMEDOUT: 'the connection timed out',
  EHOSTUNREACH: 'the host is unreachable',
  ENETUNREACH: 'the network is unreachable',
  UND_ERR_SOCKET: 'the connection was closed',
};

/** The network error code inside a failed fetch (undici puts it on `cause`, or on each error of an AggregateError). */
export function networkCode(error: unknown): string | null {
  const cause = (error as { cause?: { code?: string; errors?: { code?: string }[] } }).cause;
  return cause?.code ?? cause?.errors?.find((e) => e.code)?.code ?? null;
}

/** A fetch that never reached an answer, in one line naming the URL. */
export function unreachable(base: URL, error: unknown): FleetError {
  if ((error as Error).name === 'TimeoutError') return new FleetError(`the fleet at ${base.href} did not answer within 30 s`, null, 'TIMEOUT');
  const code = networkCode(error);
  const why = code ? (NETWORK_PROBLEMS[code] ?? code) : ((error as { cause?: Error }).cause?.message ?? (error as Error).message);
  return new FleetError(`cannot reach the fleet at ${base.href}: ${why}`, null, code);
}

/** An answer other than 2xx, in one line: 401 with the token hint, the API's own message otherwise. */
export async function refused(base: URL, method: string, path: string, response: Response): Promise<FleetError> {
  const text = await response.text().catch(() => '');
  let body: z.infer<typeof ErrorBody> | null = null;
  try {
    const parsed = ErrorBody.safeParse(JSON.parse(text));
    if (parsed.success) body = parsed.data;
  } catch {
    // Not JSON: not the nasfleet API, or a proxy's page.
  }
  if (response.status === 401) {
    return new FleetError(`the fleet at ${base.href} refused the token (HTTP 401): pass the orchestrator's API_TOKEN with --token or NASFLEET_TOKEN`, 401, 'unauthorized');
  }
  if (!body) {
    const type = response.headers.get('content-type') ?? 'no content type';
    return new FleetError(`${method} ${new URL(path, base).href} answered HTTP ${response.status} (${type}), not the nasfleet API's JSON: is --url / NASFLEET_URL the orchestrator's API?`, response.status);
  }
  return new FleetError(`${body.error.message} (HTTP ${response.status} ${body.error.code})`, response.status, body.error.code);
}

/** The orchestrator's HTTP API: authenticated calls whose failures are one-line FleetErrors. */
export interface FleetClient {
  readonly base: URL;
  /** A 2xx answer; anything else, or no answer, throws FleetError. */
  request(method: string, path: string, options?: RequestOptions): Promise<Response>;
  /** A 2xx JSON answer parsed by `schema`; an answer of another shape is a FleetError naming the route. */
  json<T>(schema: z.ZodType<T>, method: string, path: string, options?: RequestOptions): Promise<{ status: number; data: T }>;
}

/** A client for `target`; `fetchImpl` is for tests. */
export function createFleetClient(target: FleetTarget, fetchImpl: typeof fetch = fetch): FleetClient {
  const base = target.url;
  const request = async (method: string, path: string, options: RequestOptions = {}): Promise<Response> => {
    const headers: Record<string, string> = { authorization: `Bearer ${target.token}`, ...options.headers };
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    try {
      response = await fetchImpl(new URL(path, base), {
        method, headers, signal: options.signal ?? AbortSignal.timeout(30_000),
        ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
      });
    } catch (error) {
      throw unreachable(base, error);
    }
    if (!response.ok) throw await refused(base, method, path, response);
    return response;
  };
  return {
    base,
    request,
    async json(schema, method, path, options) {
      const response = await request(method, path, options);
      const text = await response.text();
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        throw new FleetError(`${method} ${new URL(path, base).href} answered HTTP ${response.status} with something that is not JSON: is --url / NASFLEET_URL the orchestrator's API?`, response.status);
      }
      const parsed = schema.safeParse(value);
      if (!parsed.success) throw new FleetError(`${method} ${path}: the answer is not what this nasfleet expects (${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message}); is the orchestrator another version?`, response.status);
      return { status: response.status, data: parsed.data };
    },
  };
}

/** The path of a search's route: `/v1/searches/<id><rest>` relative to the base (no leading slash, so a base path prefix is kept). */
export const searchPath = (id: string, rest = ''): string => `v1/searches/${encodeURIComponent(id)}${rest}`;
