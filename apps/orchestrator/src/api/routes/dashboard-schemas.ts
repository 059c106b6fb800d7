import { z } from 'zod';
import { FailureClass, OperatorKind } from '@nasfleet/contracts';
import { SearchId } from '@nasfleet/store';

/** The schemas of the read endpoints the dashboard page needs beyond the rest of the API (docs/api.md). */

const count = z.number().int().nonnegative();

export const CandidateListQuery = z.object({
  from: z.coerce.number().int().nonnegative().default(0).describe('Only candidates asked at this index or later (ask order).'),
  limit: z.coerce.number().int().positive().max(5000).default(1000).describe('At most this many.'),
});

/** One candidate in a list: enough to plot fitness per generation and walk parents and children, without code. */
export const CandidateSummary = z.object({
  id: z.string(),
  index: count.describe('Position in ask order.'),
  generation: count.describe('floor(index / generationSize).'),
  operator: OperatorKind,
  parentIds: z.array(z.string()),
  status: z.enum(['ok', 'failed', 'in-flight']),
  fitness: z.number().nullable(),
  failureClass: FailureClass.nullable(),
  promptId: z.string().nullable(),
  temperature: z.number(),
});
export type CandidateSummary = z.infer<typeof CandidateSummary>;

export const CandidateList = z.object({
  searchId: SearchId,
  generationSize: z.number().int().positive().describe('Candidates per generation (the search config\'s generationSize).'),
  asked: count.describe('Candidates asked so far: indexes 0 … asked − 1.'),
  candidates: z.array(CandidateSummary).describe('In ask order, from `from`.'),
  next: count.nullable().describe('The `from` of the next page; null when this page reaches the last asked candidate.'),
});
export type CandidateList = z.infer<typeof CandidateList>;

export const ArchiveGeometry = z.object({
  searchId: SearchId,
  name: z.string(),
  niches: z.number().int().positive(),
  descriptorNames: z.array(z.string()).describe('What each descriptor is, in order.'),
  bounds: z.array(z.tuple([z.number(), z.number()])).describe('[low, high] per descriptor, raw units: a descriptor d is placed at (d − low) / (high − low), clipped to [0, 1].'),
  centroids: z.array(z.array(z.number())).describe('One per niche, in niche order, in the normalised unit hypercube: a cell holds the candidates whose normalised descriptors are nearest its centroid.'),
});
export type ArchiveGeometry = z.infer<typeof ArchiveGeometry>;
