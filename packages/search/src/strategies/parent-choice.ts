import type { MemoryEntry, PromptChoice, Rng } from '@nasfleet/contracts';
import type { CandidateLog } from '../engine/candidate-log.ts';

/**
 * Draws a parent from `pool`: uniformly, the fittest of `size` uniform draws ('tournament'), or uniformly
 * among the `size` fittest ('fittest': LLMatic's released code, whose mutation takes one of the 3 fittest
 * networks; ties keep the pool's order; in-flight weights do not apply to it). Parents `passedOver` (their children already fill the in-flight
 * cap, or keep repeating known architectures) are left out while any other remains; with none passed
 * over, the draws are exactly the plain ones.
 */
export function drawParent(
  pool: readonly { id: string; fitness: number }[],
  rng: Rng,
  selection: 'uniform' | 'tournament' | 'fittest',
  size: number,
  passedOver: (id: string) => boolean = () => false,
  weight: ((id: string) => number) | null = null,
): string | null {
  const open = pool.filter((p) => !passedOver(p.id));
  const from = open.length ? open : pool;
  if (!from.length) return null;
  const draw = weight === null ? () => rng.pick(from) : weightedPicker(from, rng, weight);
  if (selection === 'uniform') return draw().id;
  if (selection === 'fittest') return rng.pick([...from].sort((a, b) => b.fitness - a.fitness).slice(0, size)).id;
  let best = draw();
  for (let i = 1; i < size; i++) {
    const other = draw();
    if (other.fitness > best.fitness) best = other;
  }
  return best.id;
}

/** Draws from `items` with probability proportional to `weight` (all weights > 0). */
function weightedPicker<T extends { id: string }>(items: readonly T[], rng: Rng, weight: (id: string) => number): () => T {
  const cumulative: number[] = [];
  let total = 0;
  for (const item of items) cumulative.push((total += weight(item.id)));
  return () => {
    const u = rng.uniform(0, total);
    let lo = 0;
    let hi = items.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! > u) hi = mid;
      else lo = mid + 1;
    }
    return items[lo]!;
  };
}

/**
 * In-flight-aware weights (`llmatic.inFlightDiscount`): a candidate with k children in flight is drawn
 * with weight 1 / (1 + discount × k), so the asks made before its children's results return spread over
 * more parents. Null (plain uniform draws, exactly as before) when the discount is 0.
 */
export function inFlightWeight(busy: ReadonlyMap<string, number>, discount: number): ((id: string) => number) | null {
  return discount > 0 ? (id) => 1 / (1 + discount * (busy.get(id) ?? 0)) : null;
}

/**
 * An exploiting parent draw: the best of `tournament` uniform draws among the `population` most recently
 * told successful candidates (regularized evolution's parent choice: after a search has found a good
 * region, most of its recent results lie there), or with `population` 0 the fittest of `pool` not
 * `passedOver`. Null when there is nothing to draw from.
 */
export function exploitParent(
  log: CandidateLog,
  rng: Rng,
  population: number,
  tournament: number,
  pool: readonly { id: string; fitness: number }[],
  passedOver: (id: string) => boolean,
  weight: ((id: string) => number) | null = null,
): string | null {
  if (population > 0) {
    const recent: { id: string; fitness: number }[] = [];
    const told = log.toldIds();
    for (let i = told.length - 1; i >= 0 && recent.length < population; i--) {
      const fitness = log.fitness(told[i]!);
      if (fitness !== null) recent.push({ id: told[i]!, fitness });
    }
    return drawParent(recent, rng, 'tournament', tournament, undefined, weight);
  }
  const open = pool.filter((p) => !passedOver(p.id));
  let best: { id: string; fitness: number } | null = null;
  for (const p of open.length ? open : pool) if (!best || p.fitness > best.fitness) best = p;
  return best?.id ?? null;
}

/** How many children each parent has in flight (`pendingIds`: the asked, untold children). */
export function childrenInFlight(log: CandidateLog, pendingIds: Iterable<string>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const id of pendingIds) {
    const parent = log.get(id)?.parentIds[0];
    if (parent !== undefined) counts.set(parent, (counts.get(parent) ?? 0) + 1);
  }
  return counts;
}

/**
 * Whether a told child repeated an architecture the search already had: its result names a
 * canonical hash that another candidate owns.
 */
export function repeatedKnown(log: CandidateLog, id: string): boolean | null {
  const hash = log.get(id)?.result?.canonicalHash;
  if (hash === undefined) return null;
  return log.hashOwner(hash) !== id;
}

/**
 * Lineage steering (hybrid): the prompts whose edits improved on this lineage (a remembered attempt
 * that trained and beat its parent), as indices into `prompts`; empty when none did.
 */
export function improvingPrompts(memory: readonly MemoryEntry[], prompts: readonly PromptChoice[]): number[] {
  const intents = new Set<string>();
  for (const m of memory) {
    if (m.intent !== undefined && m.outcome.status === 'ok' && typeof m.baseline === 'number' && m.outcome.fitness > m.baseline) intents.add(m.intent);
  }
  return prompts.flatMap((p, i) => (intents.has(p.intent) ? [i] : []));
}
