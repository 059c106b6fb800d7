import { archiveStats, createArchive, insert, SearchEngine } from '@nasfleet/search';
import type { CandidateResult, PromptChoice } from '@nasfleet/contracts';
import type { SearchConfigInput, StrategyRegistry } from '@nasfleet/search';
import { createGenerateStep, runLocalSearch } from '@nasfleet/steps';
import type { GenerateStep, GeneratorSettings, LocalSearchMode } from '@nasfleet/steps';
import type { Nb201Signal } from './nb201-evaluator.ts';
import { createNb201Space } from './nb201-space.ts';
import type { Nb201OperatorLevel } from './operator-level.ts';
import type { Nb201Dataset, Nb201Table } from './nb201-table.ts';

export interface Nb201SearchOptions {
  table: Nb201Table;
  dataset: Nb201Dataset;
  /** What the search sees as fitness; the report quotes 200-epoch test accuracy. */
  signal: Nb201Signal;
  /** Search config without the network archive's bounds (taken from the space) unless overridden. */
  config: Omit<SearchConfigInput, 'networkArchive'> & { networkArchive?: Partial<SearchConfigInput['networkArchive']> };
  prompts: PromptChoice[];
  crossoverPrompt: PromptChoice;
  evaluations: number;
  /** Shorthand for mode 'generational' with `inFlight` = batch (asks ahead of tells). */
  batch?: number;
  /** 'steady' (a fleet: each result told as it returns, one asked in its place) or 'generational' (ask N, tell N). */
  mode?: LocalSearchMode;
  /** Candidates in flight (steady) or a generation's size (generational); default 1. */
  inFlight?: number;
  /** Seed of the simulated order in which results return (see `LocalSearchOptions.orderSeed`); default: ask order. */
  orderSeed?: number;
  /** The rule-based operator's level (default 'expert'); ignored when an LLM or `generate` writes the cells. */
  operator?: Nb201OperatorLevel;
  /** Evaluation counts at which to record the best cell so far (e.g. [500, 2000]). */
  checkpoints?: number[];
  /**
   * Counts of distinct cells trained (a fleet's real cost: a duplicate is answered from the cache) at
   * which to record the best cell so far: the pick when the n-th distinct cell is told. Reached only
   * within `evaluations`; `stopAtTrainings` runs a search just far enough.
   */
  trainingCheckpoints?: number[];
  /** Ask nothing more once this many distinct cells were told (what is in flight is still told). */
  stopAtTrainings?: number;
  /** Fraction of the table (by 200-epoch validation) that counts as a "top" cell for `firstTopHit`. */
  topFraction?: number;
  /** Ask nothing more once a top cell was told (what is in flight is still told): for measuring `firstTopHit` alone. */
  stopAtTopHit?: boolean;
  /** Who edits cells: the rule-based cell operator (default, no LLM) or an LLM provider with the prompt set. */
  generator?: GeneratorSettings;
  /** The hash of the prompt set (`loadPromptSet().hash`), recorded in the search's state. */
  promptSetHash?: string;
  /** A stand-in generate step (tests); overrides `generator`. */
  generate?: GenerateStep;
  strategies?: StrategyRegistry;
  onResult?: (result: CandidateResult, told: number) => void;
}

export interface Nb201Pick {
  arch: string;
  /** The fitness the search saw. */
  fitness: number;
  test200: number;
  evaluation: number;
}

export interface Nb201SearchReport {
  engine: SearchEngine;
  best: Nb201Pick | null;
  atCheckpoint: Record<number, Nb201Pick | null>;
  /** The pick when the n-th distinct cell was told, for each of `trainingCheckpoints` reached. */
  atTrainings: Record<number, Nb201Pick | null>;
  /** Evaluations until the first cell in the top fraction by 200-epoch validation was evaluated (null: never). */
  firstTopHit: number | null;
  /** Distinct cells among those evaluations: trainings, when a duplicate is answered from a cache as the pipeline does (null: never). */
  firstTopHitTrainings: number | null;
  /** Distinct cells evaluated in the whole run. */
  trainings: number;
  /** Coverage and QD score of all successful candidates in an archive of the search's shape (same for every strategy). */
  coverage: number;
  qdScore: number;
  failures: number;
}

/**
 * Runs one search on the NB201 table through the same steps as every search: ask, generate (edit the
 * cell: rule-based operator or an LLM), check (find the cell), evaluate (look it up), tell. Honest
 * protocol: the search sees `signal`; the report quotes the test accuracy of the cell with the best
 * `signal`.
 */
export async function runNb201Search(options: Nb201SearchOptions): Promise<Nb201SearchReport> {
  const space = createNb201Space(options.table, { dataset: options.dataset, signal: options.signal, operator: options.operator ?? 'expert' });
  const networkArchive = { niches: 100, seed: 0, bounds: space.descriptorBounds, ...options.config.networkArchive };
  const engine = SearchEngine.create(
    { ...options.config, networkArchive },
    { prompts: options.prompts, crossoverPrompt: options.crossoverPrompt, initialArtifact: space.initialArtifact, ...(options.promptSetHash ? { promptSetHash: options.promptSetHash } : {}) },
    options.strategies,
  );
  const top = options.table.topFraction(options.dataset, 'val200', options.topFraction ?? 0.001);
  const checkpoints = new Set(options.checkpoints ?? []);
  const atCheckpoint: Record<number, Nb201Pick | null> = {};
  const trainingCheckpoints = new Set(options.trainingCheckpoints ?? []);
  const atTrainings: Record<number, Nb201Pick | null> = {};
  let shadow = createArchive<null>(networkArchive);
  let best: Nb201Pick | null = null;
  let firstTopHit: number | null = null;
  let firstTopHitTrainings: number | null = null;
  let failures = 0;
  // The space looks duplicates up again (free); what a pipeline would train is each distinct cell once.
  const distinct = new Set<string>();
  const inFlight = options.batch !== undefined ? { batch: options.batch } : { mode: options.mode ?? 'generational', inFlight: options.inFlight ?? 1 };

  await runLocalSearch({
    engine, space, evaluations: options.evaluations, ...inFlight,
    ...(options.orderSeed !== undefined ? { orderSeed: options.orderSeed } : {}),
    until: () => (options.stopAtTopHit === true && firstTopHit !== null) || (options.stopAtTrainings !== undefined && distinct.size >= options.stopAtTrainings),
    generate: options.generate ?? createGenerateStep(space, options.generator ?? { kind: 'rule' }),
    onResult(result, _request, told) {
      // A cell that passed the check was (or would have been) trained; one that did not costs nothing.
      const trainedBefore = distinct.size;
      if (result.canonicalHash !== undefined) distinct.add(result.canonicalHash);
      if (result.outcome.status === 'ok') {
        const metrics = result.metrics!;
        shadow = insert(shadow, { id: result.id, fitness: result.outcome.fitness, descriptors: result.descriptors!, payload: null }).archive;
        if (!best || result.outcome.fitness > best.fitness) {
          best = { arch: result.artifact!, fitness: result.outcome.fitness, test200: metrics.test200!, evaluation: told };
        }
        if (firstTopHit === null && top.indices.has(metrics.index!)) {
          firstTopHit = told;
          firstTopHitTrainings = distinct.size;
        }
      } else {
        failures += 1;
      }
      if (checkpoints.has(told)) atCheckpoint[told] = best ? { ...best } : null;
      if (distinct.size > trainedBefore && trainingCheckpoints.has(distinct.size)) atTrainings[distinct.size] = best ? { ...best } : null;
      options.onResult?.(result, told);
    },
  });
  const stats = archiveStats(shadow);
  return { engine, best, atCheckpoint, atTrainings, firstTopHit, firstTopHitTrainings, trainings: distinct.size, coverage: stats.coverage, qdScore: stats.qdScore, failures };
}
