import { normalise } from '../archive/cvt-archive.ts';
import type { ArchiveConfig } from '../archive/cvt-archive.ts';

/** What the population needs to know of a member: its fitness and raw descriptors (null: not a trained network). */
export interface MemberInfo {
  fitness: number;
  descriptors: readonly number[];
}

/**
 * Offers a trained network to the prompt-archive-only ablation's population of networks (paper §4.2:
 * "we keep the population at 100 individuals", fitness is accuracy): it joins while there is room,
 * else it replaces the least fit member when strictly fitter than it. Mutates `population` (ids, in
 * joining order); returns whether the network joined, which is what that ablation's curiosity scores.
 */
export function offerToPopulation(population: string[], id: string, fitness: number, size: number, fitnessOf: (id: string) => number): boolean {
  if (population.length < size) {
    population.push(id);
    return true;
  }
  let worst = 0;
  for (let i = 1; i < population.length; i++) if (fitnessOf(population[i]!) < fitnessOf(population[worst]!)) worst = i;
  if (fitness <= fitnessOf(population[worst]!)) return false;
  population.splice(worst, 1);
  population.push(id);
  return true;
}

/**
 * Crossover partners of that ablation: the `k` members most similar to `first` by cosine similarity
 * of their descriptors (normalised to [0,1] with the network archive's bounds: the paper compares
 * "the structure of the networks"), the fitter first among equally similar ones (the paper: "we choose
 * the networks with higher scores"). `first` itself is left out.
 */
export function similarMembers(population: readonly string[], first: string, k: number, config: ArchiveConfig, info: (id: string) => MemberInfo): string[] {
  const target = normalise(config, info(first).descriptors);
  return population
    .filter((id) => id !== first)
    .map((id) => ({ id, similarity: cosine(normalise(config, info(id).descriptors), target), fitness: info(id).fitness }))
    .sort((a, b) => b.similarity - a.similarity || b.fitness - a.fitness)
    .slice(0, k)
    .map((m) => m.id);
}

/** Cosine similarity; a zero vector is similar only to another zero vector. */
export function cosine(a: readonly number[], b: readonly number[]): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    na += a[i]! ** 2;
    nb += b[i]! ** 2;
  }
  if (na === 0 || nb === 0) return na === nb ? 1 : 0;
  return dot / Math.sqrt(na * nb);
}
