import { z } from 'zod';
import type { SearchConfig, StrategyConfigDefaults } from '../engine/search-config.ts';
import type { Strategy } from './strategy.ts';

/**
 * A strategy's name: lower-case words joined by '-' (it is written in configs, on the command line,
 * in every request and in snapshots, so it stays plain).
 */
export const StrategyId = z
  .string()
  .max(64)
  .regex(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/, 'a strategy name is lower-case words joined by "-" (e.g. "greedy-mutate")');

/**
 * How the engine makes a strategy: one entry of a `StrategyRegistry`. A strategy lives in its own
 * folder or file and exports one of these; nothing in the engine names it.
 *
 * Contract of `create`: with `snapshot` undefined, a fresh strategy; otherwise the strategy restored
 * from what its own `snapshot()` returned (after a JSON round trip), throwing (a ZodError or an Error
 * naming what is wrong) when that state is damaged. The returned strategy's `name` is this `name`.
 */
export interface StrategyDefinition {
  readonly name: string;
  create(config: SearchConfig, snapshot: unknown | undefined): Strategy;
  /** Whether a successful result must carry the network archive's descriptors (tell refuses one without). */
  readonly needsDescriptors: boolean;
  /** One line for help texts and reports. */
  readonly description: string;
  /**
   * The strategy's own defaults for settings it shares with others (the hybrid's for `llmatic.*`, whose
   * schema defaults are the paper's): applied when a search is created, under what the config sets.
   */
  readonly configDefaults?: StrategyConfigDefaults;
}

/** Checks a definition before it is registered (register throws the formatted error). */
export const StrategyDefinitionSchema = z.object({
  name: StrategyId,
  create: z.custom<StrategyDefinition['create']>((v) => typeof v === 'function', 'create must be a function (config, snapshot) => Strategy'),
  needsDescriptors: z.boolean(),
  description: z.string().trim().min(1),
  configDefaults: z.record(z.string(), z.unknown()).optional(),
});
