/** An answer that was not 2xx: its status and the API's error message. */
export class ApiFailure extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
    this.name = 'ApiFailure';
  }
}

/** The API with the page's bearer token. `base` is the API's root URL (the page is served at `<base>/dashboard/`). */
export class ApiClient {
  constructor(readonly base: string, readonly token: string, private readonly fetchImpl: typeof fetch = (input, init) => fetch(input, init)) {}

  /** The absolute URL of an API path (`/v1/…`). */
  url(path: string): string {
    return new URL(path.replace(/^\//, ''), this.base).toString();
  }

  headers(extra: Record<string, string> = {}): Record<string, string> {
    return { authorization: `Bearer ${this.token}`, accept: 'application/json', ...extra };
  }

  /** GET a JSON answer; throws ApiFailure (with the API's message) on any other status. */
  async get<T>(path: string, signal?: AbortSignal): Promise<T> {
    const res = await this.fetchImpl(this.url(path), { headers: this.headers(), ...(signal ? { signal } : {}) });
    if (!res.ok) throw await failureOf(res);
    return (await res.json()) as T;
  }
}

/** An ApiFailure from a non-2xx answer: the API's `{ error: { message } }`, or the status text. */
export async function failureOf(res: Response): Promise<ApiFailure> {
  let message = `${res.status} ${res.statusText}`;
  try {
    const body = (await res.json()) as { error?: { message?: string } };
    if (body.error?.message) message = `${res.status}: ${body.error.message}`;
  } catch {
    // Not JSON: the status line says enough.
  }
  return new ApiFailure(res.status, message);
}

/** The API's root, from the page's own URL (`…/dashboard/` → `…/`). */
export function apiBaseOf(pageUrl: string): string {
  const url = new URL(pageUrl);
  url.hash = '';
  url.search = '';
  url.pathname = url.pathname.replace(/dashboard\/?[^/]*$/, '');
  return url.toString();
}
