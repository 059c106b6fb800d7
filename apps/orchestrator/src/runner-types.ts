import type { CandidateResult, DatasetRef, EngineStatus } from '@nasfleet/contracts';
import type { PromptSet } from '@nasfleet/prompts';
import type { QueueProducer, ResultMessage } from '@nasfleet/queues';
import type { SearchEngine } from '@nasfleet/search';
import type { SearchSpace, SpaceRegistry } from '@nasfleet/steps';
import type { SearchRecord, SearchStore } from '@nasfleet/store';

/** What a runner needs: its search, the store and queues, who it is, and how long its lease lasts. */
export interface SearchRunnerDeps {
  store: SearchStore;
  producer: QueueProducer;
  searchId: string;
  /** This orchestrator's id (the lease's owner). */
  owner: string;
  spaces: SpaceRegistry;
  prompts: PromptSet;
  leaseTtlMs: number;
  /** A snapshot every this many tells (default 10). */
  snapshotEvery?: number;
  /** After each snapshot, drop the journal up to the one before it (default true): the journal stays one snapshot interval long. */
  trimJournal?: boolean;
  /** Told candidates and the engine's status after each tell (metrics). */
  onTold?: (searchId: string, result: CandidateResult, engine: SearchEngine) => void;
  now?: () => Date;
  log?: (line: string) => void;
}

/** running: driving its search (also while paused); done/failed/cancelled: the search ended (status written); stopped: another writer took over, or stop(). */
export type RunnerState = 'new' | 'running' | 'done' | 'failed' | 'cancelled' | 'stopped';

/** The one writer of one search while it holds the search's lease. Calls must not overlap (the orchestrator serialises them). */
export interface SearchRunner {
  readonly searchId: string;
  readonly state: RunnerState;
  /** The search's status as the runner last wrote it (running, paused, done, failed, cancelled; null before start). */
  readonly searchStatus: string | null;
  /** The engine's counts and archives (null until the search is restored). */
  engineStatus(): EngineStatus | null;
  /** Takes the lease (false, and nothing done, while another owner holds it), restores the search, re-enqueues what its candidates in flight need, tops up. */
  start(): Promise<boolean>;
  /**
   * Applies one worker result; a repeated one or one for a candidate not at that step changes nothing.
   * Resolves once what it caused is journaled; the jobs it enqueues may still be on their way (enqueued()).
   */
  handle(message: ResultMessage): Promise<void>;
  /** Resolves once every job enqueued so far has been added (or failed to be, for the sweep to make good). */
  enqueued(): Promise<void>;
  /** Several results in one batch (one store commit), in the order given; then the search is topped up once. */
  handleMany(messages: readonly ResultMessage[]): Promise<void>;
  /** Applies what a client asked the search to become (the record's `requested`): pause, resume, cancel. */
  control(record: SearchRecord): Promise<void>;
  /** Looks after the jobs of the candidates in flight (job-sweep.ts) and the derived depth; call every few seconds. */
  sweep(): Promise<void>;
  /** Stops renewing and gives the lease up (a finished or deposed runner has none). */
  stop(): Promise<void>;
}

/** A space whose candidates train on a worker (the code space: a dataset reference and a training config); others are evaluated where they live. */
export type Trainable = SearchSpace & { datasetRef: DatasetRef; trainConfig: Record<string, unknown> };
export const trainable = (space: SearchSpace): space is Trainable => 'datasetRef' in space && 'trainConfig' in space;
