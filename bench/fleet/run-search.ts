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
}

/**
 * Submits `spec` under `id` and waits until the orchestrator ends it. The wall time is taken from the
 * search record's own timestamps (createdAt when submitted, updatedAt when set to done), so it does
 * not depend on how often this polls. Throws when the search failed or did not end within `timeoutMs`
 * (with `diagnose()`'s text, e.g. the orchestrator's last lines).
 */
export async function runSearch(store: SearchStore, spec: SearchSpecInput, id: string, timeoutMs: number, diagnose: () => Promise<string> = async () => ''): Promise<SearchRun> {
  const { record } = await submitSearch(store, spec, { id });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const now = await store.getSearch(record.id);
    if (now && now.status !== 'running') {
      if (now.status !== 'done') throw new Error(`search ${id} ended ${now.status}: ${now.error ?? 'no error recorded'}\n${await diagnose()}`);
      // The final snapshot (saved before `done`) holds every told candidate; the journal may be trimmed by then.
      const saved = await store.loadSnapshot(record.id);
      if (!saved) throw new Error(`search ${id} is done but has no snapshot`);
      const tells = SearchEngine.restore(RunnerSnapshot.parse(saved.snapshot).engine).candidates().flatMap((c) => (c.result ? [c.result] : []));
      const seconds = (Date.parse(now.updatedAt) - Date.parse(now.createdAt)) / 1000;
      return {
        id, seconds, told: tells.length, rate: tells.length / seconds,
        duplicates: tells.filter((r) => r.metrics?.duplicateOfIndex !== undefined).length,
        failed: tells.filter((r) => r.outcome.status === 'failed').length,
      };
    }
    if (Date.now() > deadline) throw new Error(`search ${id} did not end within ${Math.round(timeoutMs / 1000)} s (status ${now?.status ?? 'missing'})\n${await diagnose()}`);
    await sleep(100);
  }
}
