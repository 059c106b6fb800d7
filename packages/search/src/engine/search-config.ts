import { z } from 'zod';
import { ArchiveConfig } from '../archive/cvt-archive.ts';

/**
 * The built-in strategies' names (what `builtInStrategies` registers, in that order). A config may
 * name any registered strategy; this enum is for command lines and tables of the built-ins.
 */
export const StrategyName = z.enum(['llmatic', 'hybrid', 'feedback-memory', 'random', 'regularized-evolution']);
export type StrategyName = z.infer<typeof StrategyName>;

/** LLMatic's ablations (paper Figure 2), each one switch. */
export const LlmaticAblation = z.enum([
  'none',
  'network-archive-only', // no prompt archive: a fixed population of random prompt individuals
  'prompt-archive-only', // no network archive: a bounded population of the fittest networks, crossover by cosine similarity
  'mutation-only', // never crossover
  'crossover-only', // never mutate (after seeding)
  'random-generation', // no evolution: always "make it better" applied to the initial network
]);
export type LlmaticAblation = z.infer<typeof LlmaticAblation>;

const unit = z.number().min(0).max(1);

/** The search's configuration. Defaults are the papers' values (SPEC §1–2). */
export const SearchConfig = z
  .object({
    /** A strategy registered in the engine's registry (checked by the engine: the config does not know the registry). */
    strategy: z.string().min(1),
    /** Seed of every random choice of the search. */
    seed: z.number().int().nonnegative().default(0),
    /** Children per generation (N); "previous generation's best" is judged over generations of this size. */
    generationSize: z.number().int().positive().default(100),
    /** The network archive: 2 descriptors by default (width/depth ratio, FLOPs), bounds depend on space and budget. */
    networkArchive: ArchiveConfig,
    /** The prompt archive's niche count and centroid seed (its descriptors are prompt id and temperature in [0,1]). */
    promptArchive: z.object({ niches: z.number().int().positive().default(100), seed: z.number().int().default(1) }).prefault({}),
    llmatic: z
      .object({
        ablation: LlmaticAblation.default('none'),
        /** Networks the archive must hold before evolution starts (seeding phase mutates the initial net). */
        seedNetworks: z.number().int().positive().default(10),
        /** Seeding also ends after this many seeding children were told (a guard against stalls; not in the paper). */
        seedingBudget: z.number().int().positive().default(50),
        /** Probability a child is a mutation (else crossover). */
        mutationProbability: unit.default(0.7),
        /** Of the mutations, the share that use a random prompt instead of the most curious one (exploration). */
        randomPromptShare: unit.default(0.5),
        /** Crossover merges a random elite with this many nearest neighbours (inclusive range). */
        crossoverNeighbours: z.tuple([z.number().int().positive(), z.number().int().positive()]).default([2, 3]),
        /**
         * Crossover's partners: the first parent's nearest elites in descriptor space (the paper), or each the
         * fittest of a `tournamentSize` tournament among the other elites (beyond the paper: fit partners from any niche).
         */
        crossoverPartners: z.enum(['nearest', 'tournament']).default('nearest'),
        /** Of the mutations, the share whose temperature is the prompt individual's plus U(−jitter, jitter). */
        jitterShare: unit.default(0.5),
        temperatureJitter: unit.default(0.1),
        /** Temperature change after evaluation: + when the child ≥ previous generation's best, − otherwise. */
        temperatureStep: unit.default(0.05),
        temperatureRange: z.tuple([unit, unit]).default([0.1, 1.0]),
        initialTemperature: unit.default(0.6),
        crossoverTemperature: unit.default(0.7),
        /** Curiosity change of the prompt individual: network entered the archive / did not / could not be trained. */
        curiosity: z.object({ entered: z.number().default(1), rejected: z.number().default(-0.5), failed: z.number().default(-1) }).prefault({}),
        /**
         * How a mutation's parent is drawn from the network archive: uniformly (the paper's text), the best of a
         * tournament of `tournamentSize` uniform draws (more exploitation), or uniformly among the
         * `fittestCount` fittest elites ('fittest': what LLMatic's released code does). Unset: uniform for
         * llmatic, tournament for the hybrid.
         */
        parentSelection: z.enum(['uniform', 'tournament', 'fittest']).optional(),
        tournamentSize: z.number().int().positive().default(3),
        /** With parentSelection 'fittest': how many of the fittest elites a parent is drawn from (the released code: 3). */
        fittestCount: z.number().int().positive().default(3),
        /**
         * The ablations' populations (paper §4.2, 100 each): network-archive-only's prompt individuals,
         * prompt-archive-only's networks (the fittest are kept).
         */
        ablationPopulation: z.number().int().positive().default(100),
        /** network-archive-only: an individual's temperature change when its child enters the network archive (+) or not (−). */
        populationTemperatureStep: unit.default(0.1),
        // Beyond the paper (issue 10), each off by default and measured one by one (docs/algorithms.md §3):
        /** A parent with this many children in flight is passed over while others are not (null: no cap). */
        inFlightCap: z.number().int().positive().nullable().default(null),
        /** Parent draws weigh a candidate by 1 / (1 + this × its children in flight), spreading asks made before results return (0: unweighted). */
        inFlightDiscount: z.number().nonnegative().default(0),
        /** A parent whose last this-many told children all repeated known architectures is passed over (null: never). */
        saturation: z.number().int().positive().nullable().default(null),
        /** What seeding evaluates: mutations of the initial network (the paper), or samples of the space. */
        seeding: z.enum(['initial', 'sample']).default('initial'),
        /**
         * Seeding children in flight: no more than the archives still need networks ('needed': the paper's
         * seeding, where each seeding child is added to the archives before the next is made; free slots wait
         * for results), or one in every free slot ('fill': with many in flight, up to that many children of the
         * initial network, most of them repeats).
         */
        seedingInFlight: z.enum(['needed', 'fill']).default('needed'),
        /** Hybrid: a random-prompt mutation reuses a prompt whose edit improved on this lineage, when one did. */
        lineageSteering: z.boolean().default(false),
        /**
         * Exploitation: once `exploitAfter` results were told, this share of parent draws (mutations and the first
         * parent of a crossover) is the best of `exploitTournament` uniform draws among the `exploitPopulation` most
         * recently told trained networks, as regularized evolution draws its parents; with `exploitPopulation` 0, the
         * fittest elite not passed over (0: never).
         */
        exploitShare: unit.default(0),
        exploitAfter: z.number().int().nonnegative().default(200),
        exploitPopulation: z.number().int().nonnegative().default(100),
        exploitTournament: z.number().int().positive().default(10),
        /** Network archive: networks kept per niche as parents (its elite and the next fittest distinct ones; 1: the elite only, the paper). */
        elitesPerNiche: z.number().int().positive().default(1),
      })
      .prefault({}),
    memory: z
      .object({
        /** Sliding window of the K most recent diagnostic triples. */
        window: z.number().int().positive().default(5),
        /** Ablations: no improver role, no reference (best) code, no history. */
        improver: z.boolean().default(true),
        reference: z.boolean().default(true),
        history: z.boolean().default(true),
        /** Sampling temperature of both roles. */
        temperature: unit.default(0.7),
      })
      .prefault({}),
    regularizedEvolution: z
      .object({
        population: z.number().int().positive().default(100),
        tournament: z.number().int().positive().default(10),
      })
      .prefault({}),
  })
  .superRefine((c, ctx) => {
    const [lo, hi] = c.llmatic.crossoverNeighbours;
    if (lo > hi) ctx.addIssue({ code: 'custom', path: ['llmatic', 'crossoverNeighbours'], message: 'low must be ≤ high' });
    const [tlo, thi] = c.llmatic.temperatureRange;
    if (tlo > thi) ctx.addIssue({ code: 'custom', path: ['llmatic', 'temperatureRange'], message: 'low must be ≤ high' });
    if (c.regularizedEvolution.tournament > c.regularizedEvolution.population) {
      ctx.addIssue({ code: 'custom', path: ['regularizedEvolution', 'tournament'], message: 'tournament must not exceed the population' });
    }
  });
export type SearchConfig = z.infer<typeof SearchConfig>;
export type SearchConfigInput = z.input<typeof SearchConfig>;

/** The settings a strategy may give its own defaults for (not `strategy`, `seed` or `networkArchive`). */
export const DEFAULTABLE_SETTINGS = ['generationSize', 'promptArchive', 'llmatic', 'memory', 'regularizedEvolution'] as const;
type DefaultableSection = (typeof DEFAULTABLE_SETTINGS)[number];

/**
 * A strategy's own defaults (`StrategyDefinition.configDefaults`): settings written under what the user
 * gives, before the config is parsed, so that a setting the user gives always wins and one nobody gives
 * falls back to the schema's default (the papers' values).
 */
export type StrategyConfigDefaults = { readonly [K in DefaultableSection]?: SearchConfigInput[K] };

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `given` over `defaults`: plain objects merged key by key (at any depth), anything else (arrays too) taken whole; an undefined value is not given. */
function mergeUnder(defaults: unknown, given: unknown): unknown {
  if (given === undefined) return defaults;
  if (!isPlainObject(defaults) || !isPlainObject(given)) return given;
  const out: Record<string, unknown> = { ...defaults };
  for (const [key, value] of Object.entries(given)) out[key] = mergeUnder(defaults[key], value);
  return out;
}

/** The input with a strategy's defaults written under it (the input itself is not changed). */
export function withConfigDefaults(input: SearchConfigInput, defaults: StrategyConfigDefaults | undefined): SearchConfigInput {
  return defaults === undefined ? input : (mergeUnder(defaults, input) as SearchConfigInput);
}


/**
 * A config as a snapshot stored it, read as the search was made: snapshots from before
 * `llmatic.seedingInFlight` seeded with every free slot, so a restored search goes on as it began.
 * Anything that is not such a config is returned as it is, for the schema to judge.
 */
export function storedConfig(raw: unknown): unknown {
  if (typeof raw !== 'object' || raw === null) return raw;
  const llmatic = (raw as { llmatic?: unknown }).llmatic;
  if (typeof llmatic !== 'object' || llmatic === null || 'seedingInFlight' in llmatic) return raw;
  return { ...raw, llmatic: { ...llmatic, seedingInFlight: 'fill' } };
}
