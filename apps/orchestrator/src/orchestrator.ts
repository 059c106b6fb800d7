import { createQueueWorker } from '@nasfleet/queues';
import type { QueueConfig, QueueProducer, QueueWorker, ResultMessage } from '@nasfleet/queues';
import type { PromptSet } from '@nasfleet/prompts';
import type { SpaceRegistry } from '@nasfleet/steps';
import type { SearchStore } from '@nasfleet/store';
import { createSearchRunner } from './search-runner.ts';
import type { OrchestratorMetrics } from './orchestrator-metrics.ts';
import type { SearchRunner } from './search-runner.ts';

/** Results messages the consumer holds at once; they are applied one after another (the serial chain). */
const RESULTS_IN_HAND = 16;

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
}

/** A started orchestrator. */
export interface Orchestrator {
  /** The searches it drives now. */
  running(): string[];
  /** Stops consuming results (the message in progress finishes), stops polling, gives every lease up. */
  close(): Promise<void>;
}

/**
 * Starts an orchestrator: resumes every `running` search whose lease it can take, then consumes
 * `results` (up to RESULTS_IN_HAND messages fetched at once, so BullMQ's fetch and acknowledgement of
 * one overlap the work on another; the runners still apply them one at a time), routing each message
 * to its search's runner and acknowledging it only
 * once the runner has journaled what it caused. Searches submitted later (submitSearch) are picked up
 * by polling the store every `pollMs`. A message for a search that is unknown or no longer running is
 * acknowledged and changes nothing; one for a running search another orchestrator holds is thrown
 * back (BullMQ retries it, with backoff). Runner calls never overlap: one promise chain serialises them;
 * results that arrive while a search's previous results are being applied are applied as one group.
 */
export async function startOrchestrator(deps: OrchestratorDeps): Promise<Orchestrator> {
  const log = deps.log ?? (() => undefined);
  const runners = new Map<string, SearchRunner>();
  let chain: Promise<unknown> = Promise.resolve();
  const serial = <T>(f: () => Promise<T>): Promise<T> => {
    const next = chain.then(f, f);
    chain = next.catch(() => undefined);
    return next;
  };
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
    serial(async () => {
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
   * top-up). Each message's promise settles with its group: a failed group is thrown back whole
   * (BullMQ retries each message; a runner ignores results it already applied).
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
      void serial(async () => {
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
    if (!runner) {
      const record = await deps.store.getSearch(searchId);
      if (record && DRIVEN.has(record.status)) throw new Error(`search ${searchId} is held by another orchestrator; ${messages.length} result(s) left for a retry`);
      return;
    }
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

  await poll();
  const consumer: QueueWorker = createQueueWorker('results', async (message) => route(message), {
    redisUrl: deps.redisUrl, config: deps.queueConfig, concurrency: RESULTS_IN_HAND, name: deps.owner, onError: (e) => log(`redis: ${e.message}`),
  });
  await consumer.worker.waitUntilReady();
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
      await consumer.close();
      await serial(async () => {
        for (const runner of [...runners.values()]) await drop(runner);
      });
    },
  };
}
