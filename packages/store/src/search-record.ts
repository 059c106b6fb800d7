import { z } from 'zod';

/**
 * A search id. It becomes part of Redis keys (`…:search:<id>:journal`), so it has no `:` (an id
 * like `a:journal` would otherwise name another search's journal), no braces (hash tags) and no spaces.
 */
export const SearchId = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/, 'a search id is 1–128 of A–Z a–z 0–9 . _ - (starting with a letter or digit)');
export type SearchId = z.infer<typeof SearchId>;

/** Where a search stands. The store does not police transitions: the orchestrator owns them. */
export const SearchStatus = z.enum(['running', 'paused', 'cancelled', 'done', 'failed']);
export type SearchStatus = z.infer<typeof SearchStatus>;

/** The submitted search request, as plain JSON (the orchestrator parses it with its own schema). */
export const SearchSpec = z.record(z.string(), z.unknown());
export type SearchSpec = z.infer<typeof SearchSpec>;

/**
 * What a client (the HTTP API) asked a search to become; the search's writer applies it (a status it
 * sets under its lease). Null when nothing was asked, or for records written before the field existed.
 */
export const RequestedStatus = z.enum(['running', 'paused', 'cancelled']);
export type RequestedStatus = z.infer<typeof RequestedStatus>;

/** The statuses after which a search never runs again. */
export const ENDED_STATUSES: readonly SearchStatus[] = ['done', 'failed', 'cancelled'];

/** A client's key that makes a retried submission return the first search instead of a second one. */
export const IdempotencyKey = z.string().min(1).max(200);

/** Why a search failed, as `setStatus` records it; null when it did not. */
export const StatusError = z.string().max(10_000).nullable();

/** One search as the store keeps it: what was asked for, and where it stands. */
export const SearchRecord = z.object({
  id: SearchId,
  spec: SearchSpec,
  idempotencyKey: IdempotencyKey.nullable(),
  status: SearchStatus,
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  /** Why the search failed (status 'failed'); null otherwise. */
  error: StatusError,
  /** What a client last asked the search to become (requestStatus); its writer applies it. */
  requested: RequestedStatus.nullable(),
});
export type SearchRecord = z.infer<typeof SearchRecord>;

/** What `createSearch` takes: the record's immutable part. */
export const CreateSearchInput = z.object({
  id: SearchId,
  spec: SearchSpec,
  idempotencyKey: IdempotencyKey.nullable(),
});
export type CreateSearchInput = z.infer<typeof CreateSearchInput>;
