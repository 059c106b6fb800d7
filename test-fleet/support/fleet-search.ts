import { z } from 'zod';
import { StepRun } from '@nasfleet/contracts';
import type { LlmSettings, SpaceRef } from '@nasfleet/contracts';
import type { SearchRecord, SearchStore } from '@nasfleet/store';
import { toldIds, waitFor } from '../../apps/orchestrator/src/testing/journal.ts';

/**
 * A search as the fault tests submit it: every field the orchestrator's SearchSpec has, written out
 * in full (defaults included), because the orchestrator reads the stored spec with its own schema and
 * this workspace does not import the orchestrator's source. (A type, not an interface: the store
 * takes a spec as a plain record.)
 */
export type FleetSpec = {
  space: SpaceRef;
  config: { strategy: string; seed: number; llmatic?: Record<string, unknown> };
  evaluations: number;
  llm: LlmSettings;
  depth?: number;
  replay: boolean;
};

/** The rule operators as the "LLM": no server. */
export const RULE_LLM: LlmSettings = { provider: 'rule', endpoint: null, generatorModel: null, improverModel: null, maxTokens: 2048 };

/** Creates the search (status running) as submitSearch does; a running orchestrator picks it up at its next poll. */
export async function submit(store: SearchStore, spec: FleetSpec, id: string): Promise<SearchRecord> {
  const { record } = await store.createSearch({ id, spec, idempotencyKey: id });
  return record;
}

/**
 * Polls `probe` like waitFor, but a probe that throws counts as "not yet": the fault tests poll
 * Redis while it restarts, and a refused command is then expected, not a failure.
 */
export function eventually<T>(probe: () => Promise<T | null | undefined | false>, what: string, timeoutMs = 240_000): Promise<T> {
  return waitFor(async () => {
    try {
      return await probe();
    } catch {
      return false;
    }
  }, what, timeoutMs, 100);
}

/** The search's record once it is no longer running (done, failed or cancelled). */
export const searchEnded = (store: SearchStore, id: string, timeoutMs = 270_000): Promise<SearchRecord> =>
  eventually(async () => {
    const r = await store.getSearch(id);
    return r !== null && r.status !== 'running' && r.status !== 'paused' && r;
  }, `search ${id} to end`, timeoutMs);

/** The runner's snapshot as far as the tests read it (its full schema is the orchestrator's RunnerSnapshot). */
const SavedRunner = z.object({ format: z.literal('nasfleet.runner/v1'), engine: z.unknown(), pending: z.array(z.unknown()) });

/** The final snapshot's engine part and the candidates it still had in flight. */
export async function finalSnapshot(store: SearchStore, id: string): Promise<{ engine: unknown; pending: unknown[] }> {
  const saved = await store.loadSnapshot(id);
  if (!saved) throw new Error(`search ${id} has no snapshot`);
  return SavedRunner.parse(saved.snapshot);
}

/** What the tests read of a candidate's provenance record (the orchestrator's CandidateProvenance). */
export const Provenance = z.looseObject({
  format: z.literal('nasfleet.candidate/v1'),
  generate: z.looseObject({ answer: z.string().nullable() }).nullable(),
  check: z.looseObject({ ok: z.boolean() }).nullable(),
  result: z.looseObject({
    id: z.string(),
    outcome: z.union([
      z.object({ status: z.literal('ok'), fitness: z.number() }),
      z.object({ status: z.literal('failed'), failure: z.object({ class: z.string(), message: z.string() }) }),
    ]),
    metrics: z.record(z.string(), z.number()).optional(),
  }),
  duplicateOf: z.string().nullable(),
  steps: z.object({ generate: StepRun.nullable(), train: StepRun.nullable() }),
});
export type Provenance = z.infer<typeof Provenance>;

/** Every told candidate's provenance record, in tell order. */
export async function provenances(store: SearchStore, id: string): Promise<Provenance[]> {
  const out: Provenance[] = [];
  for (const candidateId of await toldIds(store, id)) out.push(Provenance.parse(await store.getCandidate(id, candidateId)));
  return out;
}

export { toldIds, waitFor };
