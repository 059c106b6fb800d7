import { randomUUID } from 'node:crypto';
import { z } from 'zod';

/** What `npm run fleet` reads of GET /v1/searches/:id (the API's SearchDetail; other fields are ignored). */
const Detail = z.looseObject({
  search: z.looseObject({ id: z.string(), status: z.string(), error: z.string().nullable() }),
  progress: z.looseObject({ asked: z.number(), told: z.number(), inFlight: z.number(), evaluations: z.number().nullable() }),
  best: z.object({ id: z.string(), fitness: z.number() }).nullable(),
  archives: z.record(z.string(), z.looseObject({ coverage: z.number(), size: z.number(), qdScore: z.number().nullable() })),
  outcomes: z.looseObject({ ok: z.number(), failed: z.number(), byFailureClass: z.record(z.string(), z.number()) }),
  distinct: z.number(),
});
export type SearchDetail = z.infer<typeof Detail>;

/** A call to the fleet's API that did not answer as expected. */
export class ApiError extends Error {
  override name = 'ApiError';
}

/** The orchestrator's API at `baseUrl` with its bearer token: the calls `npm run fleet` makes. */
export function apiClient(baseUrl: string, token: string) {
  const call = async (method: string, path: string, body?: unknown): Promise<unknown> => {
    const response = await fetch(new URL(path, baseUrl), {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json', 'idempotency-key': randomUUID() }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    if (!response.ok) throw new ApiError(`${method} ${path}: HTTP ${response.status}: ${text.slice(0, 2000)}`);
    return JSON.parse(text) as unknown;
  };
  return {
    /** Submits a search; its id. */
    async submit(spec: unknown): Promise<string> {
      const answer = z.object({ search: z.object({ id: z.string() }) }).parse(await call('POST', '/v1/searches', spec));
      return answer.search.id;
    },
    async detail(id: string): Promise<SearchDetail> {
      return Detail.parse(await call('GET', `/v1/searches/${encodeURIComponent(id)}`));
    },
  };
}

const ENDED = new Set(['done', 'failed', 'cancelled']);

/** One progress line: told of budget, best, network-archive coverage, failures, in flight. */
export function progressLine(d: SearchDetail, seconds: number): string {
  const network = d.archives.network;
  const parts = [
    `${seconds.toFixed(1).padStart(7)} s`,
    `told ${d.progress.told}/${d.progress.evaluations ?? '?'}`,
    `best ${d.best ? d.best.fitness.toFixed(2) : '-'}`,
    ...(network ? [`coverage ${(100 * network.coverage).toFixed(1)}%`] : []),
    `failed ${d.outcomes.failed}`,
    `in flight ${d.progress.inFlight}`,
  ];
  return parts.join(' · ');
}

/**
 * Polls the search every `everyMs` and prints a progress line whenever its told count changed (and at
 * least every 30 s), until it ends; resolves with its last detail.
 */
export async function followSearch(api: ReturnType<typeof apiClient>, id: string, print: (line: string) => void, everyMs = 1_000): Promise<SearchDetail> {
  const started = Date.now();
  let lastTold = -1;
  let lastPrint = 0;
  for (;;) {
    const d = await api.detail(id);
    const now = Date.now();
    if (d.progress.told !== lastTold || now - lastPrint > 30_000 || ENDED.has(d.search.status)) {
      print(progressLine(d, (now - started) / 1000));
      lastTold = d.progress.told;
      lastPrint = now;
    }
    if (ENDED.has(d.search.status)) return d;
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
