import { z } from 'zod';
import { PromptChoice } from '@nasfleet/contracts';

/**
 * One occupied niche of an archive as a reader sees it: who holds it, with what fitness, at which
 * raw descriptors. A prompt archive's cell also says which prompt, at which temperature, how curious.
 */
export const ArchiveCell = z.object({
  niche: z.number().int().nonnegative(),
  /** The candidate (network archive) or the prompt individual's candidate (prompt archive) holding the niche. */
  id: z.string(),
  /** Network archive: the candidate's fitness; prompt archive: the prompt's collective fitness. */
  fitness: z.number(),
  /** Raw descriptor values (network archive: the space's; prompt archive: prompt index normalised, temperature). */
  descriptors: z.array(z.number()),
  prompt: z.object({ choice: PromptChoice.nullable(), temperature: z.number(), curiosity: z.number() }).optional(),
});
export type ArchiveCell = z.infer<typeof ArchiveCell>;

/** An archive's occupied cells (in niche order) and its niche count: coverage is cells / niches. */
export const ArchiveView = z.object({
  niches: z.number().int().positive(),
  cells: z.array(ArchiveCell),
});
export type ArchiveView = z.infer<typeof ArchiveView>;

/** A strategy's archives by name (LLMatic and the hybrid: `network` and `prompt`); empty for strategies without one. */
export type ArchiveViews = Record<string, ArchiveView>;
