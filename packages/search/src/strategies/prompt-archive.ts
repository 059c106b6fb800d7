import { createArchive, elites, insert, updatePayload } from '../archive/cvt-archive.ts';
import type { Archive, Elite } from '../archive/cvt-archive.ts';

/** A prompt individual: which prompt, at which temperature, and how curious it has proved. */
export interface PromptPayload {
  promptIndex: number;
  temperature: number;
  curiosity: number;
}

export type PromptArchive = Archive<PromptPayload>;

/** The prompt archive: descriptors are the prompt id normalised over the prompt count, and temperature. */
export function createPromptArchive(niches: number, seed: number): PromptArchive {
  return createArchive<PromptPayload>({ niches, seed, bounds: [[0, 1], [0, 1]] });
}

/** Raw descriptors of a prompt individual (both already in [0,1]). */
export function promptDescriptors(promptIndex: number, promptCount: number, temperature: number): number[] {
  return [promptCount > 1 ? promptIndex / (promptCount - 1) : 0, temperature];
}

/**
 * The most curious prompt individual (ties: the lowest niche), or null when the archive is empty; with
 * `promptIndex`, the most curious of that prompt's individuals, or null when it has none.
 */
export function mostCurious(archive: PromptArchive, promptIndex?: number): Elite<PromptPayload> | null {
  let best: Elite<PromptPayload> | null = null;
  for (const e of elites(archive)) {
    if (promptIndex !== undefined && e.payload.promptIndex !== promptIndex) continue;
    if (!best || e.payload.curiosity > best.payload.curiosity) best = e;
  }
  return best;
}

/** Adds `delta` to the curiosity of the individual `id` if it still holds niche `niche`. */
export function addCuriosity(archive: PromptArchive, niche: number, id: string, delta: number): PromptArchive {
  if (archive.cells[niche]?.id !== id) return archive;
  return updatePayload(archive, niche, (p) => ({ ...p, curiosity: p.curiosity + delta }));
}

/** Offers a prompt individual with the prompt's collective fitness; see `insert` for the outcome. */
export function offerPrompt(
  archive: PromptArchive,
  individual: { id: string; collectiveFitness: number; promptCount: number; payload: PromptPayload },
): PromptArchive {
  const { payload } = individual;
  return insert(archive, {
    id: individual.id,
    fitness: individual.collectiveFitness,
    descriptors: promptDescriptors(payload.promptIndex, individual.promptCount, payload.temperature),
    payload,
  }).archive;
}
