import { Rng } from '@nasfleet/contracts';

/** One individual of the network-archive-only ablation's prompt population: a prompt at a temperature. */
export interface PromptMember {
  promptIndex: number;
  temperature: number;
}

/**
 * The prompt population of LLMatic's network-archive-only ablation (paper §4.2): a fixed number of
 * individuals, each a uniformly drawn prompt at a uniformly drawn temperature in `range`. It has its
 * own generator, seeded from the search's seed, so creating it draws nothing from the search's stream
 * (statistics may create it, and reading them must not change the search).
 */
export function createPromptPopulation(size: number, promptCount: number, range: readonly [number, number], seed: number): PromptMember[] {
  const rng = Rng.fromSeed(seed);
  return Array.from({ length: size }, () => ({ promptIndex: rng.int(0, promptCount - 1), temperature: rng.uniform(range[0], range[1]) }));
}

/**
 * The paper's temperature rule of that ablation: the individual whose child entered the network
 * archive gains `step`, any other (rejected or untrainable child) loses it; clipped to `range`.
 */
export function stepMemberTemperature(member: PromptMember, entered: boolean, step: number, range: readonly [number, number]): PromptMember {
  const t = member.temperature + (entered ? step : -step);
  return { ...member, temperature: Math.min(range[1], Math.max(range[0], t)) };
}
