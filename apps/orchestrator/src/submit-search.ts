import { randomUUID } from 'node:crypto';
import { formatZodError } from '@nasfleet/contracts';
import type { SearchRecord, SearchStore } from '@nasfleet/store';
import { SearchSpec } from './search-spec.ts';
import type { SearchSpecInput } from './search-spec.ts';

/** A submitted spec that the schema rejects; nothing was created. */
export class SearchSpecError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SearchSpecError';
  }
}

/**
 * Creates a search (status 'running') from a spec, stored with its defaults filled in; a running
 * orchestrator picks it up at its next poll of the store. The same idempotency key returns the first
 * search and creates nothing. `id` defaults to a random UUID. Throws SearchSpecError naming each bad field.
 */
export async function submitSearch(store: SearchStore, spec: SearchSpecInput, options: { idempotencyKey?: string | null; id?: string } = {}): Promise<{ record: SearchRecord; created: boolean }> {
  const parsed = SearchSpec.safeParse(spec);
  if (!parsed.success) throw new SearchSpecError(`invalid search spec: ${formatZodError(parsed.error)}`);
  return store.createSearch({ id: options.id ?? randomUUID(), spec: parsed.data, idempotencyKey: options.idempotencyKey ?? null });
}
