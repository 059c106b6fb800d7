import { listenForResults } from '@nasfleet/queues';
import type { QueueConfig, QueueProducer, ResultListener, ResultMessage } from '@nasfleet/queues';
import type { PromptSet } from '@nasfleet/prompts';
import type { SpaceRegistry } from '@nasfleet/steps';
import type { SearchStore } from '@nasfleet/store';
import { createSearchRunner } from './search-runner.ts';
import { createSerial } from './serial-chain.ts';
import type { OrchestratorMetrics } from './orchestrator-metrics.ts';
import type { SearchRunner } from './search-runner.ts';

/** The statuses a runner drives: running, and paused (no new asks; what is in flight is still told). */
const DRIVEN: ReadonlySet<string> = new Set(['running', 'paused']);

/** What an orchestrator runs with. */
export interface OrchestratorDeps {
  store: SearchStore;
  producer: QueueProducer;
  redisUrl: string;
  queueConfig: QueueConfig;
  /** This orchestrator's id: the owner of the leases it takes. */
  owner: string;
  spaces: SpaceRegistry;
  prompts: PromptSet;
  leaseTtlMs: number;
  /** How often the store is looked at for running searches this orchestrator does not drive yet. */
  pollMs: number;
  /** How often each driven search's jobs are looked after (job-sweep.ts) and its derived depth recomputed (default 5 s). */
  sweepMs?: number;
  snapshotEvery?: number;
  trimJournal?: boolean;
  /** Per-search gauges and told results (orchestrator-metrics.ts), updated as runners act. */
  metrics?: Pick<OrchestratorMetrics, 'observeSearch' | 'observeTold' | 'forget'>;
  log?: (line: string) => void;
  /** An operation on the searches (a poll, a group of results) still running after this long is logged, and again as long again (default 30 s). */
  slowOperationMs?: number;
}

/** A started orchestrator. */
export interface Orchestrator {
  /** The searches it drives now. */
  running(): string[];
  /** Stops listening for results (the group being applied finishes), stops polling, gives every lease up. */
  close(): Promise<void>;
}

/**
 * Starts an orchestrator: listens for results (each job's return value, as the job completes:
 * listenForResults), then resumes every `running` search whose lease it can take, and routes each
 * result to its search's runner. Searches submitted later (submitSearch) are picked up by polling the
 * store every `pollMs`. A result for a search that is unknown, no longer running or driven by another
 * orchestrator (which gets it too) changes nothing here. Nothing is acknowledged: a result this
 * orchestrator missed or failed to apply is still on its completed job, which the runner reads when
 * it starts (again) and when it sweeps. Runner calls never overlap: one promise chain serialises them;
 * results that arrive while a search's previous results are being applied are applied as one group.
 */
export async function startOrchestrator(deps: OrchestratorDeps): Promise<Orchestrator> {
  const log = deps.log ?? (() => undefined);
  const runners = new Map<string, SearchRunner>();
  const serial = createSerial({ slowMs: deps.slowOperationMs ?? 30_000, log });
  let closed = false;

  /** The runner's search as metrics show it: at most once a second per search while it runs (its status walks the archives), and when it ends. */
  const observed = new Map<string, number>();
  const observe = (runner: SearchRunner) => {
    if (!deps.metrics) return;
    const at = Date.now();
    if (runner.state === 'running' && at - (observed.get(runner.searchId) ?? 0) < 1_000) return;
    observed.set(runner.searchId, at);
    const status = runner.engineStatus();
    if (status && runner.searchStatus) deps.metrics.observeSearch(runner.searchId, status, runner.searchStatus);
  };
  const drop = async (runner: SearchRunner) => {
    // A search another orchestrator took over is its to report; an ended one keeps its last values.
    if (runner.state === 'stopped') deps.metrics?.forget(runner.searchId);
    else {
      observed.delete(runner.searchId);
      observe(runner);
    }
    runners.delete(runner.searchId);
    await runner.stop();
  };

  /** The runner of a running search, started if need be; null when the search is not running or another orchestrator holds it. */
  const runnerFor = async (searchId: string): Promise<SearchRunner | null> => {
    const existing = runners.get(searchId);
    if (existing?.state === 'running') return existing;
    if (existing) await drop(existing);
    const record = await deps.store.getSearch(searchId);
    if (!record || !DRIVEN.has(record.status) || closed) return null;
    const runner = createSearchRunner({ ...deps, searchId, log, onTold: (id, result) => deps.metrics?.observeTold(id, result) });
    let started: boolean;
    try {
      started = await runner.start();
    } catch (error) {
      // A start that failed half-way (Redis went away while it restored) may hold the lease: give it up, stop its renewals.
      await runner.stop().catch(() => undefined);
      throw error;
    }
    if (!started) return null;
    if (runner.state !== 'running') {
      await runner.stop();
      return null;
    }
    runners.set(searchId, runner);
    return runner;
  };

  /** Starts runners for driven searches nobody drives, hands each runner its record (requested pause, resume, cancel) and, every sweepMs, sweeps. */
  let lastSweep = 0;
  const poll = () =>
    serial('polling the store', async () => {
      const sweeping = Date.now() - lastSweep >= (deps.sweepMs ?? 5_000);
      if (sweeping) lastSweep = Date.now();
      for (const record of await deps.store.listSearches()) {
        if (closed) return;
        if (!DRIVEN.has(record.status)) continue;
        const runner = runners.get(record.id)?.state === 'running' ? runners.get(record.id)! : await runnerFor(record.id);
        if (!runner) continue;
        try {
          await runner.control(record);
          if (sweeping && runner.state === 'running') await runner.sweep();
        } catch (error) {
          // Its in-memory state may be ahead of the store: start afresh from the store at the next poll.
          log(`search ${record.id}: ${(error as Error).message}; its runner starts again from the store`);
          await drop(runner);
          continue;
        }
        observe(runner);
        if (runner.state !== 'running') await drop(runner);
      }
    });

  /**
   * Group commit: results of a search that arrive while its previous group is being applied wait
   * here, and the next serial turn applies all of them in one runner batch (one store commit, one
   * top-up). Each message's promise settles with its group: a failed group's runner was dropped, and
   * the runner started in its place reads the group's results from their jobs.
   */
  const grouped = new Map<string, { message: ResultMessage; settle: (error: unknown) => void }[]>();
  const route = (message: ResultMessage): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      const settle = (error: unknown) => (error === undefined ? resolve() : reject(error as Error));
      const group = grouped.get(message.searchId);
      if (group) {
        group.push({ message, settle });
        return;
      }
      grouped.set(message.searchId, [{ message, settle }]);
      void serial(`applying results of search ${message.searchId}`, async () => {
        const members = grouped.get(message.searchId) ?? [];
        grouped.delete(message.searchId);
        try {
          await applyGroup(message.searchId, members.map((m) => m.message));
        } catch (error) {
          for (const m of members) m.settle(error ?? new Error('results group failed'));
          return;
        }
        for (const m of members) m.settle(undefined);
      });
    });

  const applyGroup = async (searchId: string, messages: ResultMessage[]): Promise<void> => {
    const runner = await runnerFor(searchId);
    if (!runner) return;
    try {
      await runner.handleMany(messages);
    } catch (error) {
      // Its in-memory state may be ahead of the journal: start afresh from the store when the messages come back.
      await drop(runner);
      throw error;
    }
    observe(runner);
    if (runner.state !== 'running') await drop(runner);
  };

  // Listening before any runner starts: a job that completes while its runner restores is seen, or read from the job by the runner's start.
  const listener: ResultListener = await listenForResults({
    redisUrl: deps.redisUrl, config: deps.queueConfig,
    onResult: (message) => {
      route(message).catch((error: unknown) => log(`search ${message.searchId}: applying the ${message.step} result of ${message.candidateId} failed (${(error as Error).message}); its runner starts again from the store`));
    },
    onInvalid: (reason) => log(`${reason}; the candidate's job is looked after by its search's sweep`),
    onError: (e) => log(`redis: ${e.message}`),
  });
  try {
    await poll();
  } catch (error) {
    await listener.close();
    throw error;
  }
  // One poll at a time: while Redis is away a poll waits for it, and ticks queued behind it would all
  // run back to back once it returns (each starting runners again).
  let polling = false;
  const timer = setInterval(() => {
    if (polling) return;
    polling = true;
    poll().catch((error: unknown) => log(`polling the store failed: ${(error as Error).message}`)).finally(() => {
      polling = false;
    });
  }, deps.pollMs);

  return {
    running: () => [...runners.keys()],
    async close() {
      closed = true;
      clearInterval(timer);
      await listener.close();
      await serial('closing', async () => {
        for (const runner of [...runners.values()]) await drop(runner);
      });
    },
  };
}
