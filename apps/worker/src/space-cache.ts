import { UnrecoverableError } from 'bullmq';
import type { SpaceRef } from '@nasfleet/contracts';
import { SpaceError } from '@nasfleet/steps';
import type { SearchSpace, SpaceRegistry } from '@nasfleet/steps';

/** JSON with object keys sorted, so two refs that differ only in key order are one cache entry. */
function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** Spaces made from the refs jobs name, each made once per process. */
export interface SpaceCache {
  /** The space a ref names; UnrecoverableError when the registry refuses the ref (unknown name, bad options). */
  get(ref: SpaceRef): Promise<SearchSpace>;
  /** Releases every space made (sandbox workers). */
  close(): Promise<void>;
}

/**
 * Makes spaces through `registry`, cached per ref (name + options, key order ignored): jobs of one
 * search share one space and its sandbox pool. A ref the registry refuses fails its job without
 * retries; any other failure to make a space (a file that could not be read) is retried and not cached.
 */
export function createSpaceCache(registry: SpaceRegistry): SpaceCache {
  const made = new Map<string, Promise<SearchSpace>>();
  // Each job carries its own copy of the ref, as JSON in the key order its producer wrote: the native
  // JSON text finds the stable key without sorting every job's ref again (bounded, like the spaces).
  const stableKeys = new Map<string, string>();
  const keyOf = (ref: SpaceRef): string => {
    const raw = JSON.stringify(ref);
    let key = stableKeys.get(raw);
    if (key === undefined) {
      key = stableJson(ref);
      if (stableKeys.size >= 1_000) stableKeys.clear();
      stableKeys.set(raw, key);
    }
    return key;
  };
  return {
    get(ref) {
      const key = keyOf(ref);
      let space = made.get(key);
      if (!space) {
        space = registry.create(ref.name, ref.options).catch((error: unknown) => {
          made.delete(key);
          if (error instanceof SpaceError) throw new UnrecoverableError(error.message);
          throw error;
        });
        made.set(key, space);
      }
      return space;
    },
    async close() {
      const spaces = await Promise.allSettled([...made.values()]);
      made.clear();
      await Promise.all(spaces.map((s) => (s.status === 'fulfilled' ? s.value.close?.() : undefined)));
    },
  };
}
