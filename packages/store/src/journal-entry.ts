import { z } from 'zod';
import { CandidateResult, CheckResult, GenerateResult, StepRun } from '@nasfleet/contracts';

/**
 * One engine operation, journalled before the orchestrator acts on it; replaying a search's entries
 * in seq order on its latest snapshot gives back the engine. `ask` carries the ids it handed out
 * (asks are deterministic, so a replay can check itself against them). `generated` is a candidate's
 * stage record, not an engine operation: its generate step's output and check (null when there was no
 * answer), so that a restarted orchestrator trains it (or copies a duplicate's result) instead of
 * generating it again, and which worker generated it when (`run`, for the candidate's provenance).
 */
export const JournalEntry = z.discriminatedUnion('op', [
  z.object({ op: z.literal('ask'), n: z.number().int().nonnegative(), ids: z.array(z.string()), at: z.iso.datetime().optional() }),
  z.object({ op: z.literal('tell'), results: z.array(CandidateResult) }),
  z.object({ op: z.literal('claim'), id: z.string(), hash: z.string() }),
  z.object({ op: z.literal('generated'), id: z.string(), generate: GenerateResult, check: CheckResult.nullable(), run: StepRun.optional() }),
]);
export type JournalEntry = z.infer<typeof JournalEntry>;

/** A journal position: 1, 2, 3, … per search, in append order, never reused (not even after a trim). */
export const Seq = z.number().int().positive();

/** A journal entry as read back, with the seq its append was given. */
export interface JournalRecord {
  readonly seq: number;
  readonly entry: JournalEntry;
}

/** The latest snapshot of a search: the engine's state after the journal's entries up to `atSeq`. */
export interface SnapshotRecord {
  readonly snapshot: unknown;
  readonly atSeq: number;
}
