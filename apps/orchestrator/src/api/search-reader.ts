import type { PromptSet } from '@nasfleet/prompts';
import type { SpaceRegistry } from '@nasfleet/steps';
import { JournalRangeError } from '@nasfleet/store';
import type { SearchRecord, SearchStore } from '@nasfleet/store';
import { createEngine } from '../create-engine.ts';
import { restoreState } from '../runner-state.ts';
import type { RestoredState } from '../runner-state.ts';
import { SearchSpec } from '../search-spec.ts';
import { catchUp } from './journal-catch-up.ts';

/** A search as a reader sees it: its record, its spec (null when invalid), and its engine (null before it started). */
export interface SearchView {
  record: SearchRecord;
  spec: SearchSpec | null;
  /** Null until the search's orchestrator saved something (no snapshot, empty journal): told 0, no best. */
  state: Pick<RestoredState, 'engine' | 'pending' | 'lastSeq'> | null;
}

export interface SearchReaderDeps {
  store: SearchStore;
  /** To make a fresh engine for a search whose journal has entries but no snapshot yet (a crash between the two). */
  spaces: SpaceRegistry;
  prompts: () => PromptSet;
  /** Searches whose rebuilt engine is kept (least recently read dropped first). Default 32. */
  maxCached?: number;
}

/** Rebuilds searches' engines from the store for the API, read-only, and keeps the recent ones. */
export interface SearchReader {
  /** The search, or null when there is none with that id. */
  view(id: string): Promise<SearchView | null>;
}

type State = NonNullable<SearchView['state']>;
const NO_SNAPSHOT = Symbol('no snapshot');

/**
 * A SearchReader over a store that another process writes. A search's engine is rebuilt once with
 * restoreState (snapshot + journal replay; the store is only read) and then kept, with the journal seq
 * it reflects: a later read applies only the entries journaled since (catchUp), and none when there
 * are none, so neither repeated reads nor a running search's progress replay everything or restore
 * the snapshot again. A journal trimmed past the kept seq, or entries that do not replay, mean a fresh
 * rebuild. Reads of one search are serialised (one refresh at a time). Each view's engine is shared:
 * callers only read it, synchronously, right after the view resolves.
 */
export function createSearchReader(deps: SearchReaderDeps): SearchReader {
  const { store } = deps;
  const maxCached = deps.maxCached ?? 32;
  const cache = new Map<string, State>();
  const refreshing = new Map<string, Promise<State | null>>();

  const remember = (id: string, state: State | null): State | null => {
    cache.delete(id);
    if (state === null) return null;
    cache.set(id, state);
    while (cache.size > maxCached) cache.delete(cache.keys().next().value!);
    return state;
  };

  const rebuild = async (id: string, spec: SearchSpec | null, tries = 3): Promise<State | null> => {
    try {
      return await restoreState(store, id, () => {
        throw NO_SNAPSHOT;
      });
    } catch (error) {
      // A newer snapshot and a trim landed between reading the snapshot and the journal: read again.
      if (error instanceof JournalRangeError && tries > 1) return rebuild(id, spec, tries - 1);
      if (error !== NO_SNAPSHOT) throw error;
    }
    // No snapshot: not started (empty journal), or the journal's first entries are in and the first snapshot is not.
    if ((await store.readJournal(id, 0, 1)).length === 0 || spec === null) return null;
    const space = await deps.spaces.create(spec.space.name, spec.space.options);
    try {
      return await restoreState(store, id, () => createEngine(spec, space, deps.prompts()));
    } finally {
      await space.close?.();
    }
  };

  /** The kept state brought up to the journal's end, or null when it cannot be (trimmed past it, or it does not replay). */
  const caughtUp = async (id: string, state: State): Promise<State | null> => {
    let records;
    try {
      records = await store.readJournal(id, state.lastSeq);
    } catch (error) {
      if (error instanceof JournalRangeError) return null;
      throw error;
    }
    try {
      catchUp(id, state, records);
      return state;
    } catch {
      return null;
    }
  };

  const refresh = async (id: string, spec: SearchSpec | null): Promise<State | null> => {
    const cached = cache.get(id);
    if (cached) {
      const state = await caughtUp(id, cached);
      if (state) return remember(id, state);
      cache.delete(id);
    }
    return remember(id, await rebuild(id, spec));
  };

  const stateOf = (id: string, spec: SearchSpec | null): Promise<State | null> => {
    let pending = refreshing.get(id);
    if (!pending) {
      pending = refresh(id, spec).finally(() => refreshing.delete(id));
      refreshing.set(id, pending);
    }
    return pending;
  };

  return {
    async view(id) {
      const record = await store.getSearch(id);
      if (!record) return null;
      const parsed = SearchSpec.safeParse(record.spec);
      const spec = parsed.success ? parsed.data : null;
      return { record, spec, state: await stateOf(id, spec) };
    },
  };
}
