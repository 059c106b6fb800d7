import type { Nb201Dataset, Nb201OperatorLevel, Nb201Signal } from '@nasfleet/nb201';
import type { LocalSearchMode } from '@nasfleet/steps';

/** How candidates are in flight: 1 at a time, or N in steady state or in generations of N. */
export interface Parallelism {
  inFlight: number;
  mode: LocalSearchMode;
}

/** '1', '16 steady', '100 generational'. */
export const parallelismLabel = (p: Parallelism): string => (p.inFlight === 1 ? '1' : `${p.inFlight} ${p.mode}`);

/** One search to run: a variant (index into VARIANTS) under one setting and seed. */
export interface Job {
  variant: number;
  operator: Nb201OperatorLevel;
  parallelism: Parallelism;
  dataset: Nb201Dataset;
  signal: Nb201Signal;
  seed: number;
  evaluations: number;
}

/** What one search gives. `hit`/`hitTrainings`: null when no top-0.1% cell was evaluated within the budget. */
export interface JobResult extends Job {
  hit: number | null;
  hitTrainings: number | null;
  at500: number | null;
  atEnd: number | null;
  /** The signal (what the search maximises, e.g. val200) of the pick at 500: a search's own measure of success. */
  signalAt500: number | null;
  /**
   * The same at a budget of 500 distinct trainings (a fleet's real cost: duplicates are answered from
   * the cache) or ANSWER_CAP evaluations (LLM answers), whichever comes first, and how many
   * evaluations that took (null: it took ANSWER_CAP).
   */
  at500Trainings: number | null;
  evaluationsAt500Trainings: number | null;
  coverage: number;
  /** Distinct cells among the first 500 evaluations (the rest were duplicates). */
  trainingsAt500: number;
  /**
   * Whether the pick at 500 is the table's best cell by the signal: the search's own optimum. Its test
   * accuracy need not be the best (on ImageNet16-120 the best by val200 tests at 46.20, below the next four
   * cells by val200), so a search that reaches it more often can report a lower test accuracy at 500.
   */
  optimumAt500: boolean;
  failures: number;
  ms: number;
}

/** A budget of distinct trainings, the fleet's real cost (a duplicate is answered from the cache). */
export const TRAINING_BUDGET = 500;
/**
 * The LLM answers a search may spend on that budget: a search that repeats cells so often that it has
 * not trained 500 distinct ones by then reports its pick here (a fleet's LLM time is bounded too).
 */
export const ANSWER_CAP = 4 * TRAINING_BUDGET;

/** The order seed of a search: its own stream, not the engine's (both would otherwise draw the same numbers). */
export const orderSeedOf = (seed: number): number => (seed * 2654435761 + 0x5bd1e995) | 0;
