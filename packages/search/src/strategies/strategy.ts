import type { CandidateRef, CandidateResult, MemoryEntry, OperatorKind, PromptChoice, StrategyStats } from '@nasfleet/contracts';
import type { ArchiveViews } from '../engine/archive-view.ts';
import type { CandidateLog, CandidateRecord } from '../engine/candidate-log.ts';
import type { SearchConfig } from '../engine/search-config.ts';
import type { Rng } from '@nasfleet/contracts';

/** What a strategy may read when it proposes or observes. */
export interface StrategyContext {
  config: SearchConfig;
  rng: Rng;
  prompts: readonly PromptChoice[];
  crossoverPrompt: PromptChoice;
  log: CandidateLog;
  /** Id of the initial network's record (the first 'seed' request), or null for strategies without one. */
  initialId: string | null;
}

/** A strategy's proposal for one request; the engine adds id, index, generation and seed. */
export interface Proposal {
  operator: OperatorKind;
  parents: CandidateRef[];
  prompt: PromptChoice | null;
  temperature: number;
  memory: MemoryEntry[] | null;
  reference: CandidateRef | null;
  improver: boolean;
}

/**
 * A search strategy: proposes requests and observes results. It may keep state, but only plain data
 * that `snapshot()` returns and the strategy's factory can restore; all randomness comes from ctx.rng.
 * The engine makes it through a `StrategyDefinition` registered in a `StrategyRegistry`.
 */
export interface Strategy {
  /** The name it is registered under (the engine checks they agree). */
  readonly name: string;
  /** Whether the first request is a 'seed' evaluation of the initial network. */
  readonly startsFromInitial: boolean;
  /**
   * The next request. Never throws for any mix of told results; every candidate it hands out (parent,
   * reference) has an artifact: see `CandidateLog.hasArtifact` (failures may have none).
   */
  propose(ctx: StrategyContext, slot: { index: number; generation: number }): Proposal | null;
  /** Called once per told candidate, in tell order. */
  observe(ctx: StrategyContext, record: CandidateRecord & { result: CandidateResult }): void;
  /** Strategy-specific statistics (archives, memory) for reports: the fields of StrategyStats it has. */
  stats(ctx: StrategyContext): StrategyStats;
  /**
   * The strategy's archives, cell by cell, for readers (an HTTP API, a dashboard); only strategies that
   * keep archives have it. Reads only: it must change nothing that `snapshot()` returns, not even on a
   * strategy that has not proposed yet (whose archives are empty, with the config's niche counts).
   */
  archives?(ctx: StrategyContext): ArchiveViews;
  /** Plain JSON that the definition's `create(config, snapshot)` restores this strategy from. */
  snapshot(): unknown;
}

/** A plain proposal with no prompt, memory or reference. */
export function bareProposal(operator: OperatorKind, parents: CandidateRef[], temperature: number): Proposal {
  return { operator, parents, prompt: null, temperature, memory: null, reference: null, improver: false };
}
