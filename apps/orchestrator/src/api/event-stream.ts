import { ENDED_STATUSES, JournalRangeError } from '@nasfleet/store';
import type { JournalRecord, SearchRecord, SearchStore } from '@nasfleet/store';
import type { SearchReader } from './search-reader.ts';
import { searchDetail } from './search-views.ts';

/** One server-sent event: its name, JSON data, and the journal seq as its id (status events have none). */
export interface SseEvent {
  event: 'asked' | 'told' | 'status' | 'snapshot' | 'end';
  data: unknown;
  id?: number;
}

/** An event in the text/event-stream format. */
export const formatSse = (e: SseEvent): string => `event: ${e.event}\n${e.id === undefined ? '' : `id: ${e.id}\n`}data: ${JSON.stringify(e.data)}\n\n`;

/** The candidate's ask index, read from its id (`c000012` → 12; candidateId in @nasfleet/search); null for another form. */
const indexOf = (id: string): number | null => {
  const m = /^c(\d+)$/.exec(id);
  return m ? Number(m[1]) : null;
};

/** The events a journal entry makes: an ask its ids, a tell one `told` per result; a claim or a stage record none. */
export function eventsOf({ seq, entry }: JournalRecord): SseEvent[] {
  if (entry.op === 'ask') return [{ event: 'asked', id: seq, data: { ids: entry.ids } }];
  if (entry.op !== 'tell') return [];
  return entry.results.map((r) => ({
    event: 'told', id: seq,
    data: r.outcome.status === 'ok'
      ? { id: r.id, index: indexOf(r.id), status: 'ok', fitness: r.outcome.fitness }
      : { id: r.id, index: indexOf(r.id), status: 'failed', failureClass: r.outcome.failure.class },
  }));
}

export interface EventStreamOptions {
  store: SearchStore;
  reader: SearchReader;
  searchId: string;
  /** Send what follows this journal seq (Last-Event-ID; 0: from the start). */
  afterSeq: number;
  send: (chunk: string) => Promise<void>;
  /** The store is polled this often. */
  pollMs: number;
  /** A comment line this often, so proxies and clients see a live connection. */
  heartbeatMs: number;
  log?: (line: string) => void;
}

/** A running stream: `done` settles when it ended (the search ended and all was sent) or was stopped. */
export interface EventStream {
  stop(): void;
  readonly done: Promise<void>;
}

const JOURNAL_PAGE = 200;

/**
 * Streams a search's journal and status as server-sent events by polling the store:
 * - `status` first, then whenever status, requested or error changes (after the entries read with it);
 * - `asked` and `told` for each journal entry after `afterSeq`, with its seq as the event id, so a
 *   client that reconnects with Last-Event-ID misses nothing and gets nothing twice;
 * - `snapshot` (the search's detail; id: the latest seq, which it reflects) when the client's position
 *   was trimmed from the journal, then what is journaled after it;
 * - `end` once the search has ended and every entry was sent.
 * The record is read before the journal in each poll: the orchestrator ends a search after its last
 * tell, so an ended record means the journal read after it is complete. A failing poll (the store
 * unreachable, the client gone) is logged and tried again at the next one, until `stop()`.
 */
export function streamSearchEvents(options: EventStreamOptions): EventStream {
  const { store, searchId, send } = options;
  const log = options.log ?? (() => undefined);
  let position = options.afterSeq;
  let lastStatus = '';
  let stopped = false;
  let wake: (() => void) | null = null;
  const sleep = (ms: number) => new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    wake = () => {
      clearTimeout(timer);
      resolve();
    };
  });
  const heartbeat = setInterval(() => {
    send(': heartbeat\n\n').catch(() => undefined);
  }, options.heartbeatMs);

  const readAfter = async (): Promise<JournalRecord[]> => {
    try {
      return await store.readJournal(searchId, position, JOURNAL_PAGE);
    } catch (error) {
      if (!(error instanceof JournalRangeError)) throw error;
      const view = await options.reader.view(searchId);
      if (!view) throw error;
      position = view.state?.lastSeq ?? position;
      await send(formatSse({ event: 'snapshot', id: position, data: searchDetail(view) }));
      return store.readJournal(searchId, position, JOURNAL_PAGE);
    }
  };

  /** One poll; true when the stream is complete. */
  const poll = async (): Promise<boolean> => {
    const record: SearchRecord | null = await store.getSearch(searchId);
    if (!record) return true;
    const status = JSON.stringify([record.status, record.requested, record.error]);
    const sendStatus = async () => {
      if (status === lastStatus) return;
      lastStatus = status;
      await send(formatSse({ event: 'status', data: { status: record.status, requested: record.requested, error: record.error } }));
    };
    // Where the search stands comes first on a new stream; later, after the entries journaled before the change.
    if (lastStatus === '') await sendStatus();
    for (;;) {
      const page = await readAfter();
      let chunk = '';
      for (const r of page) chunk += eventsOf(r).map(formatSse).join('');
      if (chunk) await send(chunk);
      position = page.at(-1)?.seq ?? position;
      if (page.length < JOURNAL_PAGE || stopped) break;
    }
    await sendStatus();
    if (!ENDED_STATUSES.includes(record.status)) return false;
    await send(formatSse({ event: 'end', id: position, data: { status: record.status, error: record.error } }));
    return true;
  };

  const done = (async () => {
    try {
      while (!stopped) {
        try {
          if (await poll()) break;
        } catch (error) {
          if (stopped) break;
          log(`events of search ${searchId}: ${(error as Error).message}`);
        }
        if (!stopped) await sleep(options.pollMs);
      }
    } finally {
      stopped = true;
      clearInterval(heartbeat);
    }
  })();

  return {
    stop() {
      stopped = true;
      clearInterval(heartbeat);
      wake?.();
    },
    done,
  };
}
