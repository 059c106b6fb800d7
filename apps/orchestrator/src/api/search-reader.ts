import type { PromptSet } from '@nasfleet/prompts';
import type { SpaceRegistry } from '@nasfleet/steps';
import { JournalRangeError } from '@nasfleet/store';
import type { SearchRecord, SearchStore } from '@nasfleet/store';
import { createEngine } from '../create-engine.ts';
import { restoreState } from '../runner-state.ts';
import type { RestoredState } from '../runner-state.ts';
import { SearchSpec } from '../search-spec.ts';

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
 * A SearchReader over a store that another process writes. The engine is rebuilt with restoreState
 * (snapshot + journal replay; the store is only read), then kept with the journal seq it reflects:
 * the next read looks for entries after that seq and reuses the engine when there are none, so
 * repeated reads replay nothing (a newer snapshot at the same seq is the same state). A trimmed
 * journal or new entries mean a fresh rebuild; concurrent reads of one search share one rebuild.
 * Each view's engine is shared: callers only read it.
 */
export function createSearchReader(deps: SearchReaderDeps): SearchReader {
  const { store } = deps;
  const maxCached = deps.maxCached ?? 32;
  const cache = new Map<string, State>();
  const building = new Map<string, Promise<State | null>>();

  const remember = (id: string, state: State | null): State | null => {
    cache.delete(id);
    if (state === null) return null;
    cache.set(id, state);
    while (cache.size > maxCached) cache.delete(cache.keys().next().value!);
    return state;
  };

  /** Whether the journal has entries after `state` (or was trimmed past it). */
  const stale = async (id: string, state: State): Promise<boolean> => {
    try {
      return (await store.readJournal(id, state.lastSeq, 1)).length > 0;
    } catch (error) {
      if (error instanceof JournalRangeError) return true;
      throw error;
    }
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

  const stateOf = async (id: string, spec: SearchSpec | null): Promise<State | null> => {
    const cached = cache.get(id);
    if (cached && !(await stale(id, cached))) return remember(id, cached);
    let pending = building.get(id);
    if (!pending) {
      pending = rebuild(id, spec).then((state) => remember(id, state)).finally(() => building.delete(id));
      building.set(id, pending);
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
