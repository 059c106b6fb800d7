import { z } from 'zod';
import { formatZodError } from '@nasfleet/contracts';
import { JournalEntry, Seq } from './journal-entry.ts';
import type { SnapshotRecord } from './journal-entry.ts';
import { SearchId, SearchRecord } from './search-record.ts';
import { StoreCorruptError, StoreInputError } from './store-errors.ts';

/**
 * How both stores check what they are given and encode what they keep, so that their behaviour is
 * the same: values are kept as JSON text (the memory store too, so nothing it returns aliases what
 * it was given), every read decodes through here, and bad data becomes StoreCorruptError.
 */

/** `value` parsed by `schema`, or StoreInputError naming `what` and the fields. */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw new StoreInputError(`invalid ${what}: ${formatZodError(result.error)}`);
  return result.data;
}

// The argument schemas, made once (a zod schema is costly to build, and these are checked on every write).
const CandidateIdArg = z.string().min(1).max(200);
const TokenArg = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const TtlArg = z.number().int().positive();
const OwnerArg = z.string().min(1).max(500);
const PositionArg = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
const EntriesArg = z.array(JournalEntry);

/** A candidate id (a hash field of the search's candidates). */
export const checkCandidateId = (id: unknown): string => parseInput(CandidateIdArg, id, 'candidate id');

/** A search id, checked before it goes into a key. */
export const checkSearchId = (id: unknown): string => parseInput(SearchId, id, 'search id');

/** A fence or lease token: a positive safe integer. */
export const checkToken = (token: unknown, what = 'fence'): number => parseInput(TokenArg, token, what);

/** A lease's time to live: a positive whole number of milliseconds. */
export const checkTtl = (ttlMs: unknown): number => parseInput(TtlArg, ttlMs, 'lease ttlMs');

/** A lease owner: any non-empty name. */
export const checkOwner = (owner: unknown): string => parseInput(OwnerArg, owner, 'lease owner');

/** A journal position argument (0 = before the first entry). */
export const checkPosition = (seq: unknown, what: string): number => parseInput(PositionArg, seq, what);

/** Entries to append, checked and encoded; one bad entry rejects the whole batch. */
export function encodeEntries(entries: readonly unknown[]): string[] {
  const parsed = parseInput(EntriesArg, entries, 'journal entries');
  return parsed.map((e) => JSON.stringify(e));
}

/** Provenance records to put, checked and encoded as [candidate id, JSON text]; one bad record rejects them all. */
export function encodeRecords(records: readonly (readonly [string, unknown])[] | undefined): [string, string][] {
  if (records === undefined) return [];
  if (!Array.isArray(records)) throw new StoreInputError('invalid candidate records: expected a list of [candidate id, record]');
  return records.map((pair, i) => {
    if (!Array.isArray(pair) || pair.length !== 2) throw new StoreInputError(`invalid candidate records: item ${i} is not [candidate id, record]`);
    return [checkCandidateId(pair[0]), encodeJson(pair[1], `the record of candidate ${String(pair[0])}`)];
  });
}

/** JSON text of a value that must round-trip (a snapshot); StoreInputError when it is not JSON. */
export function encodeJson(value: unknown, what: string): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch (error) {
    throw new StoreInputError(`${what} is not JSON: ${(error as Error).message}`);
  }
  if (text === undefined) throw new StoreInputError(`${what} is not JSON (it is ${typeof value})`);
  return text;
}

/** JSON text read back; StoreCorruptError naming the search, key and `what` when it is not JSON. */
export function decodeJson(text: string, searchId: string | null, key: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new StoreCorruptError(searchId, key, `${what} is not JSON (${(error as Error).message})`);
  }
}

/** A search record as field → JSON text (the Redis hash's fields). */
export type EncodedRecord = Record<string, string>;

const recordFields = Object.keys(SearchRecord.shape) as (keyof SearchRecord)[];
/** Fields added after records were first written: missing in an older record means null. */
const laterFields: ReadonlySet<string> = new Set<keyof SearchRecord>(['requested']);

/** A checked record as field → JSON text. */
export function encodeRecord(record: SearchRecord): EncodedRecord {
  const checked = parseInput(SearchRecord, record, 'search record');
  return Object.fromEntries(recordFields.map((f) => [f, encodeJson(checked[f], `the search's ${f}`)]));
}

/** A record read back: every field present, JSON, and the whole passing SearchRecord with the expected id. */
export function decodeRecord(fields: EncodedRecord, searchId: string, key: string): SearchRecord {
  const value: Record<string, unknown> = {};
  for (const f of recordFields) {
    const text = fields[f];
    if (text === undefined && laterFields.has(f)) {
      value[f] = null;
      continue;
    }
    if (text === undefined) throw new StoreCorruptError(searchId, key, `field ${f} is missing`);
    value[f] = decodeJson(text, searchId, key, `field ${f}`);
  }
  const result = SearchRecord.safeParse(value);
  if (!result.success) throw new StoreCorruptError(searchId, key, `not a search record: ${formatZodError(result.error)}`);
  if (result.data.id !== searchId) throw new StoreCorruptError(searchId, key, `the record is of search ${JSON.stringify(result.data.id)}`);
  return result.data;
}

/** A journal entry read back. */
export function decodeEntry(text: string, searchId: string, key: string, seq: number): JournalEntry {
  const result = JournalEntry.safeParse(decodeJson(text, searchId, key, `entry ${seq}`));
  if (!result.success) throw new StoreCorruptError(searchId, key, `entry ${seq} is not a journal entry: ${formatZodError(result.error)}`);
  return result.data;
}

/** A seq or counter kept as text (Redis hash fields, stream ids). */
export function decodeCount(text: string | null | undefined, searchId: string | null, key: string, what: string, positive = false): number | null {
  if (text === null || text === undefined) return null;
  const n = /^\d{1,15}$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(n) || (positive && !Seq.safeParse(n).success)) throw new StoreCorruptError(searchId, key, `${what} is not a ${positive ? 'positive ' : ''}whole number: ${JSON.stringify(text)}`);
  return n;
}

/** The latest snapshot read back from its two parts; null when neither exists. */
export function decodeSnapshot(atSeq: string | null | undefined, data: string | null | undefined, searchId: string, key: string): SnapshotRecord | null {
  if ((atSeq ?? null) === null && (data ?? null) === null) return null;
  if (atSeq === null || atSeq === undefined || data === null || data === undefined) throw new StoreCorruptError(searchId, key, `the snapshot lacks its ${atSeq == null ? 'atSeq' : 'data'}`);
  return { atSeq: decodeCount(atSeq, searchId, key, 'snapshot atSeq') as number, snapshot: decodeJson(data, searchId, key, 'the snapshot') };
}
