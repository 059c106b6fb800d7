import { z } from 'zod';
import type { Outcome } from '@nasfleet/contracts';
import { cellDescriptors, describeBounds } from './cell-descriptors.ts';
import type { Nb201DescriptorSpec } from './cell-descriptors.ts';
import { extractCell, formatArchString, isConnected } from './cell-space.ts';
import { CellParseError } from './errors.ts';
import { Nb201Dataset, Nb201Table } from './nb201-table.ts';

/** The validation column the search is allowed to see (fitness). */
export const Nb201Signal = z.enum(['val200', 'val12']);
export type Nb201Signal = z.infer<typeof Nb201Signal>;

/** Options of `createNb201Evaluator`, checked at the boundary. */
export const Nb201EvaluatorOptions = z.object({
  table: z.instanceof(Nb201Table),
  dataset: Nb201Dataset,
  /** Fitness column: 200-epoch validation (default) or the cheaper 12-epoch one. */
  signal: Nb201Signal.default('val200'),
});
export type Nb201EvaluatorOptions = z.input<typeof Nb201EvaluatorOptions>;

/** What one look-up gives: an outcome, and for a valid cell its descriptors and metrics. */
export interface Nb201Evaluation {
  outcome: Outcome;
  /** Raw descriptors, in `spec.names` order (ok outcomes only). */
  descriptors?: number[];
  /**
   * ok outcomes only: index, val200, test200 (what a report quotes), val12, test12, test200Nats,
   * rank200 (source test rank), signalRank (competition rank by the fitness column, 1 = best),
   * params (M), flops (M), connected (1/0).
   */
  metrics?: Record<string, number>;
  /** The canonical arch string of the evaluated cell (ok outcomes only). */
  arch?: string;
}

/** A table-backed evaluator for one dataset. */
export interface Nb201Evaluator {
  readonly dataset: Nb201Dataset;
  readonly signal: Nb201Signal;
  /** Descriptor names and bounds for the network archive. */
  readonly spec: Nb201DescriptorSpec;
  /** Looks the artifact up; never throws for a bad artifact (failures are data). */
  evaluate(artifact: string): Nb201Evaluation;
}

/**
 * An evaluator that scores an artifact (an arch string or op code, possibly inside an LLM answer)
 * by table look-up. Fitness is the validation signal; test accuracy is only in the metrics.
 * Throws a ZodError for bad options.
 */
export function createNb201Evaluator(options: Nb201EvaluatorOptions): Nb201Evaluator {
  const { table, dataset, signal } = Nb201EvaluatorOptions.parse(options);
  const spec = describeBounds(dataset);
  const signalRanks = table.ranks(dataset, signal);
  return {
    dataset,
    signal,
    spec,
    evaluate(artifact: string): Nb201Evaluation {
      let index: number;
      try {
        index = table.indexOf(extractCell(artifact));
      } catch (err) {
        if (!(err instanceof CellParseError || err instanceof RangeError)) throw err;
        return { outcome: { status: 'failed', failure: { class: 'invalid-artifact', message: err.message.slice(0, 4000) } } };
      }
      const cell = table.cellAt(index);
      const v = (metric: Parameters<Nb201Table['value']>[2]) => table.value(index, dataset, metric);
      const flops = v('flops');
      return {
        outcome: { status: 'ok', fitness: v(signal) },
        descriptors: cellDescriptors(cell, flops),
        metrics: {
          index,
          val200: v('val200'),
          test200: v('test200'),
          val12: v('val12'),
          test12: v('test12'),
          test200Nats: v('test200Nats'),
          rank200: v('rank200'),
          signalRank: signalRanks[index]!,
          params: v('params'),
          flops,
          connected: isConnected(cell) ? 1 : 0,
        },
        arch: formatArchString(cell),
      };
    },
  };
}
