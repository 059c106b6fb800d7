import { builtInStrategies, SearchConfig } from '@nasfleet/search';
import type { SearchConfigInput } from '@nasfleet/search';

/** A strategy or ablation the bench runs: a name and the search config it stands for (seed and archive added per run). */
export interface Variant {
  name: string;
  config: Omit<SearchConfigInput, 'networkArchive' | 'seed'>;
}

type LlmaticSwitches = NonNullable<SearchConfigInput['llmatic']>;

/**
 * The llmatic settings the hybrid has its own defaults for (`configDefaults`), at the paper's
 * values (the schema's defaults). Each `hybrid/<switches>` row is the switches on this base, so it means
 * what its name says whatever the hybrid's defaults become; the row `hybrid` is the hybrid's defaults.
 */
const PAPER_BASE: LlmaticSwitches = (() => {
  const paper = SearchConfig.shape.llmatic.parse({});
  const keys = Object.keys(builtInStrategies.get('hybrid').configDefaults?.llmatic ?? {}) as (keyof typeof paper)[];
  return Object.fromEntries(keys.map((k) => [k, paper[k]])) as LlmaticSwitches;
})();

/**
 * The hybrid's switches beyond the paper, as bench rows `hybrid/<name>`: each alone, then combinations
 * tuned on seeds 0–199 (docs/algorithms.md §3 has the figures). `sample+t6+exploit` is the best found:
 * samples as seeds, a tournament of 6 among elites, and from the 200th result on three parent draws in
 * four as regularized evolution makes them (a tournament of 10 among the 100 most recent successes).
 */
const HYBRID_SWITCHES: [string, LlmaticSwitches][] = [
  // The hybrid before it had defaults of its own: the paper's settings with a tournament of 3.
  ['paper-base', {}],
  ['sample-seeding', { seeding: 'sample' }],
  ['tournament-6', { tournamentSize: 6 }],
  ['in-flight-cap-2', { inFlightCap: 2 }],
  ['saturation-3', { saturation: 3 }],
  ['lineage-steering', { lineageSteering: true }],
  ['elites-per-niche-3', { elitesPerNiche: 3 }],
  ['exploit', { exploitShare: 0.75 }],
  ['sample+t6', { seeding: 'sample', tournamentSize: 6 }],
  ['sample+t6+sat3', { seeding: 'sample', tournamentSize: 6, saturation: 3 }],
  ['sample+t6+exploit', { seeding: 'sample', tournamentSize: 6, exploitShare: 0.75 }],
  // Samples kept in flight only as the archives still need them, like the paper's seeding: a top cell sooner at 100 in flight, lower at 500.
  ['sample+t6+exploit+needed', { seeding: 'sample', tournamentSize: 6, exploitShare: 0.75, seedingInFlight: 'needed' }],
  // Other ways of exploiting measured in tuning, none better there: from the first result on, the fittest elite only, with runners-up per niche.
  ['sample+t6+exploit-from-start', { seeding: 'sample', tournamentSize: 6, exploitShare: 0.75, exploitAfter: 0 }],
  ['sample+t6+exploit-best-elite', { seeding: 'sample', tournamentSize: 6, exploitShare: 0.25, exploitAfter: 0, exploitPopulation: 0 }],
  ['sample+t6+exploit+k3', { seeding: 'sample', tournamentSize: 6, exploitShare: 0.75, elitesPerNiche: 3 }],
  // Issue 10's "parent selection aware of what is in flight": parent draws weighted by 1 / (1 + d × children in flight).
  // A loss at 100 in flight on seeds 0–199 that grows with d (CIFAR-100: 173 trainings at d = 0, 180.5 at 0.2, 218 at 1).
  ['in-flight-discount-1', { inFlightDiscount: 1 }],
  ['sample+t6+exploit+ifd0.2', { seeding: 'sample', tournamentSize: 6, exploitShare: 0.75, inFlightDiscount: 0.2 }],
  ['sample+t6+exploit+ifd1', { seeding: 'sample', tournamentSize: 6, exploitShare: 0.75, inFlightDiscount: 1 }],
  // More exploitation helps at 100 in flight (a larger tournament, no crossover) and costs test accuracy at 500 elsewhere.
  ['sample+t10+exploit', { seeding: 'sample', tournamentSize: 10, exploitShare: 0.75 }],
  ['sample+t6+exploit+mut1', { seeding: 'sample', tournamentSize: 6, exploitShare: 0.75, mutationProbability: 1 }],
  // Crossover partners by fitness from any niche instead of the first parent's nearest niches.
  ['fit-crossover', { crossoverPartners: 'tournament' }],
  ['sample+t6+exploit+fitx', { seeding: 'sample', tournamentSize: 6, exploitShare: 0.75, crossoverPartners: 'tournament' }],
  ['sample+t10+exploit+fitx', { seeding: 'sample', tournamentSize: 10, exploitShare: 0.75, crossoverPartners: 'tournament' }],
];

/**
 * Every strategy and ablation, in table order. A new ablation switch is one entry here (its name
 * becomes a row and a `--strategies` choice).
 */
export const VARIANTS: Variant[] = [
  { name: 'random', config: { strategy: 'random' } },
  { name: 'regularized-evolution', config: { strategy: 'regularized-evolution' } },
  { name: 'llmatic', config: { strategy: 'llmatic' } },
  ...(['network-archive-only', 'prompt-archive-only', 'mutation-only', 'crossover-only', 'random-generation'] as const).map((ablation) => ({
    name: `llmatic/${ablation}`, config: { strategy: 'llmatic' as const, llmatic: { ablation } },
  })),
  // Beyond the paper: samples as seeds (what llmatic loses at 100 in flight is its seeding from one network).
  { name: 'llmatic/sample-seeding', config: { strategy: 'llmatic', llmatic: { seeding: 'sample' } } },
  // Seeding as before the paper's sequential seeding was kept in flight: every free slot gets a child of the initial network.
  { name: 'llmatic/fill-seeding', config: { strategy: 'llmatic', llmatic: { seedingInFlight: 'fill' } } },
  // LLMatic's released code draws a mutation's parent among the 3 fittest networks; the paper's text (and llmatic) a random elite.
  { name: 'llmatic/fittest-parents', config: { strategy: 'llmatic', llmatic: { parentSelection: 'fittest' } } },
  { name: 'hybrid', config: { strategy: 'hybrid' } },
  // The switches beyond the paper (issue 10), each alone on the hybrid, then the combinations tuned on seeds < 1000.
  // Samples as seeds fill every free slot, as these rows were tuned with, unless a row says otherwise.
  ...HYBRID_SWITCHES.map(([name, llmatic]) => ({
    name: `hybrid/${name}`,
    config: { strategy: 'hybrid' as const, llmatic: { ...PAPER_BASE, ...(llmatic.seeding === 'sample' ? { seedingInFlight: 'fill' as const } : {}), ...llmatic } },
  })),
  { name: 'feedback-memory', config: { strategy: 'feedback-memory' } },
  { name: 'feedback-memory/no-improver', config: { strategy: 'feedback-memory', memory: { improver: false } } },
  { name: 'feedback-memory/no-reference', config: { strategy: 'feedback-memory', memory: { reference: false } } },
  { name: 'feedback-memory/no-history', config: { strategy: 'feedback-memory', memory: { history: false } } },
];

/** Named groups for `--strategies`: 'core' is what the targets compare. */
export const VARIANT_GROUPS: Record<string, string[]> = {
  core: ['random', 'regularized-evolution', 'llmatic', 'hybrid'],
  /** The anchors, the hybrid and every hybrid switch and combination: what the hybrid's targets are judged on. */
  tuning: ['regularized-evolution', 'hybrid', ...HYBRID_SWITCHES.map(([name]) => `hybrid/${name}`)],
  all: VARIANTS.map((v) => v.name),
};
