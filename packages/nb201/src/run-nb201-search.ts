import { archiveStats, createArchive, insert, runSync, SearchEngine } from '@nasfleet/search';
import type { CandidateRequest, CandidateResult, Operator, PromptChoice } from '@nasfleet/contracts';
import type { SearchConfigInput } from '@nasfleet/search';
import { formatArchString } from './cell-space.ts';
import { createNb201Evaluator } from './nb201-evaluator.ts';
import type { Nb201Signal } from './nb201-evaluator.ts';
import type { Nb201Dataset, Nb201Table } from './nb201-table.ts';
import { createNb201RuleOperator } from './rule-operator.ts';

/** The initial network in the cell space: SPEC §1's "tiny" seed, a single 1x1 conv from input to output. */
export const NB201_INITIAL_CELL = formatArchString([0, 0, 0, 2, 0, 0]);

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
  /** Asks ahead of tells (candidates in flight). */
  batch?: number;
  /** Evaluation counts at which to record the best cell so far (e.g. [500, 2000]). */
  checkpoints?: number[];
  /** Fraction of the table (by 200-epoch validation) that counts as a "top" cell for `firstTopHit`. */
  topFraction?: number;
  operator?: Operator;
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
  /** Evaluations until the first cell in the top fraction by 200-epoch validation was evaluated (null: never). */
  firstTopHit: number | null;
  /** Coverage and QD score of all successful candidates in an archive of the search's shape (same for every strategy). */
  coverage: number;
  qdScore: number;
  failures: number;
}

/**
 * Runs one search on the NB201 table with the rule-based operator (no LLM): ask, edit the cell, look
 * it up, tell. Honest protocol: the search sees `signal`; the report quotes the test accuracy of the
 * cell with the best `signal`.
 */
export function runNb201Search(options: Nb201SearchOptions): Nb201SearchReport {
  const evaluator = createNb201Evaluator({ table: options.table, dataset: options.dataset, signal: options.signal });
  const networkArchive = { niches: 100, seed: 0, bounds: evaluator.spec.bounds, ...options.config.networkArchive };
  const engine = SearchEngine.create(
    { ...options.config, networkArchive },
    { prompts: options.prompts, crossoverPrompt: options.crossoverPrompt, initialArtifact: NB201_INITIAL_CELL },
  );
  const operator = options.operator ?? createNb201RuleOperator();
  const top = options.table.topFraction(options.dataset, 'val200', options.topFraction ?? 0.001);
  const checkpoints = new Set(options.checkpoints ?? []);
  const atCheckpoint: Record<number, Nb201Pick | null> = {};
  let shadow = createArchive<null>(networkArchive);
  let best: Nb201Pick | null = null;
  let firstTopHit: number | null = null;
  let failures = 0;

  const evaluate = (request: CandidateRequest): CandidateResult => {
    const made = operator.apply(request);
    if (made.artifact === null) {
      return { id: request.id, artifact: null, outcome: { status: 'failed', failure: made.failure ?? { class: 'extraction', message: 'no cell' } }, feedback: made.feedback ?? null };
    }
    const looked = evaluator.evaluate(made.artifact);
    const result: CandidateResult = { id: request.id, artifact: looked.arch ?? made.artifact, outcome: looked.outcome, feedback: made.feedback ?? null };
    if (looked.descriptors) result.descriptors = looked.descriptors;
    if (looked.metrics) result.metrics = looked.metrics;
    return result;
  };

  runSync(engine, evaluate, {
    evaluations: options.evaluations,
    batch: options.batch ?? 1,
    onResult(result, _request, told) {
      if (result.outcome.status === 'ok') {
        const metrics = result.metrics!;
        shadow = insert(shadow, { id: result.id, fitness: result.outcome.fitness, descriptors: result.descriptors!, payload: null }).archive;
        if (!best || result.outcome.fitness > best.fitness) {
          best = { arch: result.artifact!, fitness: result.outcome.fitness, test200: metrics.test200!, evaluation: told };
        }
        if (firstTopHit === null && top.indices.has(metrics.index!)) firstTopHit = told;
      } else {
        failures += 1;
      }
      if (checkpoints.has(told)) atCheckpoint[told] = best ? { ...best } : null;
    },
  });
  const stats = archiveStats(shadow);
  return { engine, best, atCheckpoint, firstTopHit, coverage: stats.coverage, qdScore: stats.qdScore, failures };
}
