import { z } from 'zod';
import { MemoryEntry } from '@nasfleet/contracts';
import { archiveSnapshotSchema } from '../archive/cvt-archive.ts';
import type { ArchiveSnapshot } from '../archive/cvt-archive.ts';
import type { LineageMemory } from './lineage-memory.ts';
import type { PromptPayload } from './prompt-archive.ts';
import type { PromptMember } from './prompt-population.ts';

/** Bookkeeping for an asked, not yet told child. */
export interface PendingChild {
  kind: 'seed' | 'mutation' | 'crossover';
  promptIndex: number | null;
  /** The prompt individual the child came from (niche and id), null for random prompts. */
  source: { niche: number; id: string } | null;
  /** "The previous generation's best" when the child was asked (see generation-window.ts); absent in snapshots from before it. */
  reference?: number | null;
  /** network-archive-only: the index of the prompt population's individual the child came from. */
  member?: number | null;
}

const PendingSchema = z.object({
  kind: z.enum(['seed', 'mutation', 'crossover']),
  promptIndex: z.number().int().nonnegative().nullable(),
  source: z.object({ niche: z.number().int().nonnegative(), id: z.string() }).nullable(),
  reference: z.number().nullable().optional(),
  member: z.number().int().nonnegative().nullable().optional(),
});

/**
 * LLMatic's state as snapshotted. Snapshots from before issue 10's fidelity fixes still restore: their
 * `generationBest` is dropped (the reference is now taken when a child is asked; an old in-flight child
 * has none and is judged against the window before its tell), and their `trained` list (the unbounded
 * parent pool of prompt-archive-only) becomes the bounded population, its fittest members.
 */
export const LlmaticStateSchema = z.object({
  /** The archives as of the last snapshot; the strategy's live copies are kept beside the state. */
  network: archiveSnapshotSchema(z.null()),
  prompts: archiveSnapshotSchema(z.object({ promptIndex: z.number().int().nonnegative(), temperature: z.number(), curiosity: z.number() })),
  collective: z.array(z.number()),
  /** Temperature used where no prompt individual supplies one (seeding, a random prompt with no individual yet). */
  temperature: z.number(),
  /** prompt-archive-only: the bounded population of networks (ids). */
  population: z.array(z.string()).optional(),
  /** Before the bounded population: every trained candidate (read once, to build `population`). */
  trained: z.array(z.string()).optional(),
  /** network-archive-only: the fixed population of prompt individuals and its one fitness score. */
  promptPopulation: z.array(z.object({ promptIndex: z.number().int().nonnegative(), temperature: z.number() })).optional(),
  populationScore: z.number().optional(),
  pending: z.record(z.string(), PendingSchema),
  /** With `llmatic.saturation`: per parent, how many told children in a row repeated a known architecture. */
  streaks: z.record(z.string(), z.number().int().nonnegative()).optional(),
  /** With `llmatic.elitesPerNiche` > 1: per niche, the runners-up kept as parents beside its elite. */
  reserve: z.record(z.string(), z.array(z.string())).optional(),
  lineage: z.object({ byParent: z.record(z.string(), z.array(z.object({ at: z.number().int().nonnegative(), entry: MemoryEntry }))) }),
  seedsTold: z.number().int().nonnegative(),
});

export type LlmaticState = Omit<z.infer<typeof LlmaticStateSchema>, 'network' | 'prompts' | 'pending' | 'lineage' | 'promptPopulation'> & {
  network: ArchiveSnapshot<null>;
  prompts: ArchiveSnapshot<PromptPayload>;
  pending: Record<string, PendingChild>;
  lineage: LineageMemory;
  promptPopulation?: PromptMember[];
};
