import { ApiFailure } from './api-client.ts';
import type { ApiClient } from './api-client.ts';
import type { ArchiveAnswer, ArchiveGeometry, CandidateList, CandidateSummary, SearchDetail } from './api-types.ts';
import { followEvents } from './event-follower.ts';
import type { StreamState } from './event-follower.ts';
import type { SseMessage } from './sse-parser.ts';

/** A `told` event's data (docs/api.md). */
interface Told {
  id: string;
  index: number | null;
  status: 'ok' | 'failed';
  fitness?: number;
  failureClass?: string;
}

/** Least time between two refreshes while events keep coming (ms): a busy search is redrawn a few times a second, not per event. */
const REFRESH_GAP_MS = 400;

/**
 * One search as the page shows it, kept up to date: its detail, archives (cells and geometry) and
 * candidate list, loaded once and refreshed after events from its stream (told results are applied
 * at once; the rest is read again, at most every REFRESH_GAP_MS). `onChange` runs after each change.
 */
export class SearchSession {
  detail: SearchDetail | null = null;
  generationSize = 1;
  readonly candidates: CandidateSummary[] = [];
  readonly archives = new Map<string, ArchiveAnswer>();
  readonly geometry = new Map<string, ArchiveGeometry>();
  stream: StreamState = 'connecting';
  error: string | null = null;
  /** Candidates below this index are known and told: the candidate list is read again from here. */
  private complete = 0;
  private refreshing: Promise<void> | null = null;
  private again = false;
  private stopped = false;
  private follower: { stop(): void } | null = null;

  constructor(private readonly api: ApiClient, readonly id: string, private readonly onChange: () => void, private readonly onUnauthorized: () => void) {}

  /** Loads everything, then follows the event stream. */
  async start(): Promise<void> {
    await this.refresh();
    if (this.stopped) return;
    this.follower = followEvents({
      api: this.api, searchId: this.id,
      onEvent: (m) => this.onEvent(m),
      onState: (state, detail) => {
        this.stream = state;
        if (state === 'unauthorized') this.onUnauthorized();
        if (detail && state !== 'live') this.error = detail;
        this.onChange();
      },
    });
  }

  stop(): void {
    this.stopped = true;
    this.follower?.stop();
  }

  /** Candidates told (ok or failed) as far as the page knows. */
  told(): number {
    return this.candidates.filter((c) => c !== undefined && c.status !== 'in-flight').length;
  }

  /** The known candidate with this id. */
  candidate(id: string): CandidateSummary | undefined {
    const m = /^c(\d+)$/.exec(id);
    const byIndex = m ? this.candidates[Number(m[1])] : undefined;
    return byIndex?.id === id ? byIndex : this.candidates.find((c) => c?.id === id);
  }

  private onEvent(m: SseMessage): void {
    if (m.event === 'told') this.applyTold(JSON.parse(m.data) as Told);
    if (m.event === 'status' && this.detail) {
      const s = JSON.parse(m.data) as Pick<SearchDetail['search'], 'status' | 'requested' | 'error'>;
      this.detail.search = { ...this.detail.search, ...s };
    }
    this.onChange();
    this.scheduleRefresh();
  }

  private applyTold(t: Told): void {
    const known = this.candidate(t.id);
    const fitness = t.status === 'ok' ? t.fitness ?? null : null;
    const failureClass = t.status === 'failed' ? t.failureClass ?? null : null;
    if (known) {
      Object.assign(known, { status: t.status, fitness, failureClass });
    } else if (t.index !== null) {
      // Not listed yet: a stand-in until the list is read again (complete stays below it).
      this.candidates[t.index] = {
        id: t.id, index: t.index, generation: Math.floor(t.index / this.generationSize), operator: '?', parentIds: [],
        status: t.status, fitness, failureClass, promptId: null, temperature: 0,
      };
    }
  }

  /** Reads the search again soon: now if idle, else once the refresh in progress is done. */
  scheduleRefresh(): void {
    if (this.refreshing) {
      this.again = true;
      return;
    }
    this.refreshing = this.refresh().finally(async () => {
      await new Promise((r) => setTimeout(r, REFRESH_GAP_MS));
      this.refreshing = null;
      if (this.again && !this.stopped) {
        this.again = false;
        this.scheduleRefresh();
      }
    });
  }

  private async refresh(): Promise<void> {
    const base = `/v1/searches/${encodeURIComponent(this.id)}`;
    try {
      this.detail = await this.api.get<SearchDetail>(base);
      for (const name of Object.keys(this.detail.archives)) {
        if (!this.geometry.has(name) && this.detail.started) this.geometry.set(name, await this.api.get<ArchiveGeometry>(`${base}/archives/${name}/geometry`));
        if (this.detail.started) this.archives.set(name, await this.api.get<ArchiveAnswer>(`${base}/archives/${name}`));
      }
      await this.readCandidates(base);
      this.error = null;
    } catch (error) {
      if (error instanceof ApiFailure && error.status === 401) this.onUnauthorized();
      this.error = (error as Error).message;
    }
    if (!this.stopped) this.onChange();
  }

  private async readCandidates(base: string): Promise<void> {
    let from: number | null = this.complete;
    while (from !== null && !this.stopped) {
      const page: CandidateList = await this.api.get<CandidateList>(`${base}/candidates?from=${from}&limit=2000`);
      this.generationSize = page.generationSize;
      for (const c of page.candidates) {
        // A page read before a told event arrived must not undo it.
        const kept = this.candidates[c.index];
        if (kept?.id === c.id && kept.status !== 'in-flight' && c.status === 'in-flight') continue;
        this.candidates[c.index] = c;
      }
      from = page.next;
    }
    while (this.complete < this.candidates.length) {
      const c = this.candidates[this.complete];
      if (!c || c.status === 'in-flight' || c.operator === '?') break;
      this.complete += 1;
    }
  }
}
