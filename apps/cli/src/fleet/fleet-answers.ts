import { z } from 'zod';

/**
 * What the CLI reads of the orchestrator's answers (docs/openapi.json): the fields it shows, loose
 * objects so that fields added later pass through to --json untouched.
 */

export const SearchRecord = z.looseObject({
  id: z.string(),
  status: z.string(),
  requested: z.string().nullable(),
  error: z.string().nullable(),
  createdAt: z.string(),
  spec: z.record(z.string(), z.unknown()),
});
export type SearchRecord = z.infer<typeof SearchRecord>;

export const SearchEnvelope = z.looseObject({ search: SearchRecord });

export const SearchSummary = z.looseObject({
  id: z.string(),
  status: z.string(),
  requested: z.string().nullable(),
  createdAt: z.string(),
  strategy: z.string().nullable(),
  space: z.string().nullable(),
  evaluations: z.number().nullable(),
  told: z.number(),
});
export type SearchSummary = z.infer<typeof SearchSummary>;

export const SearchList = z.looseObject({ searches: z.array(SearchSummary) });

const ArchiveStats = z.looseObject({ niches: z.number(), size: z.number(), coverage: z.number(), qdScore: z.number().nullable(), best: z.number().nullable() });

export const SearchDetail = z.looseObject({
  search: SearchRecord,
  started: z.boolean(),
  progress: z.looseObject({ asked: z.number(), told: z.number(), inFlight: z.number(), evaluations: z.number().nullable() }),
  best: z.object({ id: z.string(), fitness: z.number() }).nullable(),
  archives: z.record(z.string(), ArchiveStats),
  outcomes: z.looseObject({ ok: z.number(), failed: z.number(), byFailureClass: z.record(z.string(), z.number()) }),
  distinct: z.number(),
});
export type SearchDetail = z.infer<typeof SearchDetail>;

export const ExportModel = z.looseObject({
  state: z.enum(['not-requested', 'waiting', 'training', 'done', 'failed']),
  validationAccuracy: z.number().nullable(),
  weightBytes: z.number().nullable(),
  modelJson: z.string().nullable(),
  error: z.string().nullable(),
});

export const ExportAnswer = z.looseObject({
  searchId: z.string(),
  candidateId: z.string(),
  space: z.string(),
  fitness: z.number(),
  code: z.string(),
  metrics: z.record(z.string(), z.number()).nullable(),
  model: ExportModel.nullable(),
  note: z.string(),
});
export type ExportAnswer = z.infer<typeof ExportAnswer>;

/** The events of GET /v1/searches/{id}/events the CLI uses (docs/api.md, "The event stream"). */
export const StatusEvent = z.looseObject({ status: z.string(), requested: z.string().nullable(), error: z.string().nullable() });
export const AskedEvent = z.looseObject({ ids: z.array(z.string()) });
export const ToldEvent = z.discriminatedUnion('status', [
  z.looseObject({ id: z.string(), status: z.literal('ok'), fitness: z.number() }),
  z.looseObject({ id: z.string(), status: z.literal('failed'), failureClass: z.string() }),
]);
export const EndEvent = z.looseObject({ status: z.string(), error: z.string().nullable() });

/** The statuses after which a search never runs again. */
export const ENDED = new Set(['done', 'failed', 'cancelled']);
