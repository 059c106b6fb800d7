import { setTimeout as sleep } from 'node:timers/promises';
import { SearchEngine } from '@nasfleet/search';
import type { SearchStore } from '@nasfleet/store';
// apps/orchestrator has no `exports` map (it is an app), so its submitSearch is imported by path.
import { submitSearch } from '../../apps/orchestrator/src/submit-search.ts';
import type { SearchSpecInput } from '../../apps/orchestrator/src/search-spec.ts';
import { RunnerSnapshot } from '../../apps/orchestrator/src/runner-state.ts';

export type { SearchSpecInput };

/** One finished search as the bench measured it. */
export interface SearchRun {
  id: string;
  /** From submission (the record's createdAt) to `done` (its updatedAt, written by the orchestrator's last setStatus), in seconds. */
  seconds: number;
  /** Candidates told (read from the final snapshot). */
  told: number;
  /** Of those: copies of an earlier candidate's result (duplicate architectures, never trained or looked up). */
  duplicates: number;
  /** Of those: failed outcomes (a check that failed, no answer, a failed training). */
  failed: number;
  /** told / seconds. */
  rate: number;
  /** Size of the final snapshot as JSON (what the orchestrator rewrites every SNAPSHOT_EVERY tells). */
  snapshotBytes: number;
}

/** How long to wait, what to say when it goes wrong, and what to do the moment the search is seen to end. */
export interface RunSearchOptions {
  timeoutMs: number;
  /** Text for the error when the search failed or timed out (e.g. failed jobs, the processes' last lines). */
  diagnose?: () => Promise<string>;
  /** Called as soon as the search is seen to have ended, before its snapshot is read back (stop meters here). */
  onEnded?: () => Promise<void>;
}

/**
 * Submits `spec` under `id` and waits until the orchestrator ends it. The wall time is taken from the
 * search record's own timestamps (createdAt when submitted, updatedAt when set to done), so it does
 * not depend on how often this polls (every 100 ms). Throws when the search failed or did not end in
 * time, with `diagnose()`'s text.
 */
export async function runSearch(store: SearchStore, spec: SearchSpecInput, id: string, options: RunSearchOptions): Promise<SearchRun> {
  const diagnose = options.diagnose ?? (async () => '');
  const { record } = await submitSearch(store, spec, { id });
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    const now = await store.getSearch(record.id);
    if (now && now.status !== 'running') {
      await options.onEnded?.();
      if (now.status !== 'done') throw new Error(`search ${id} ended ${now.status}: ${now.error ?? 'no error recorded'}\n${await diagnose()}`);
      // The final snapshot (saved before `done`) holds every told candidate; the journal may be trimmed by then.
      const saved = await store.loadSnapshot(record.id);
      if (!saved) throw new Error(`search ${id} is done but has no snapshot`);
      const tells = SearchEngine.restore(RunnerSnapshot.parse(saved.snapshot).engine).candidates().flatMap((c) => (c.result ? [c.result] : []));
      const seconds = (Date.parse(now.updatedAt) - Date.parse(now.createdAt)) / 1000;
      return {
        id, seconds, told: tells.length, rate: tells.length / seconds, snapshotBytes: Buffer.byteLength(JSON.stringify(saved.snapshot)),
        duplicates: tells.filter((r) => r.metrics?.duplicateOfIndex !== undefined).length,
        failed: tells.filter((r) => r.outcome.status === 'failed').length,
      };
    }
    if (Date.now() > deadline) throw new Error(`search ${id} did not end within ${Math.round(options.timeoutMs / 1000)} s (status ${now?.status ?? 'missing'})\n${await diagnose()}`);
    await sleep(100);
  }
}
