import { z } from 'zod';
import { CandidateResult, OperatorKind, PromptChoice } from '@nasfleet/contracts';
import type { CandidateRef, Outcome } from '@nasfleet/contracts';

/** Everything the search knows of one candidate: its provenance and, once told, its result. */
export const CandidateRecord = z.object({
  id: z.string(),
  index: z.number().int().nonnegative(),
  generation: z.number().int().nonnegative(),
  operator: OperatorKind,
  parentIds: z.array(z.string()),
  prompt: PromptChoice.nullable(),
  temperature: z.number(),
  /** Known at ask time for 'seed' requests (the initial network), else from the result. */
  artifact: z.string().nullable(),
  result: CandidateResult.nullable(),
  /** Position in tell order (0 = first told), null while in flight. */
  toldAt: z.number().int().nonnegative().nullable(),
});
export type CandidateRecord = z.infer<typeof CandidateRecord>;

/** The log as plain JSON (what `toJSON` writes and `fromJSON` checks). */
export const CandidateLogJson = z.object({ records: z.array(CandidateRecord), told: z.array(z.string()) });
export type CandidateLogJson = z.infer<typeof CandidateLogJson>;

/**
 * The engine's ledger of candidates (plain data, snapshotted whole). It answers the questions every
 * strategy asks: what is this candidate, how did it do, which is the best so far.
 */
export class CandidateLog {
  private readonly records = new Map<string, CandidateRecord>();
  private readonly told: string[] = [];
  private bestId: string | null = null;

  /** Registers an asked candidate. */
  add(record: CandidateRecord): void {
    if (this.records.has(record.id)) throw new Error(`candidate ${record.id} already exists`);
    this.records.set(record.id, record);
  }

  get(id: string): CandidateRecord | undefined {
    return this.records.get(id);
  }

  /** Records a result; returns false (and changes nothing) if the candidate is unknown or already told. */
  tell(result: CandidateResult): CandidateRecord | null {
    const record = this.records.get(result.id);
    if (!record || record.result) return null;
    record.result = result;
    record.artifact = result.artifact ?? record.artifact;
    record.toldAt = this.told.length;
    this.told.push(record.id);
    if (result.outcome.status === 'ok') {
      const best = this.bestId === null ? null : this.fitness(this.bestId);
      if (best === null || result.outcome.fitness > best) this.bestId = record.id;
    }
    return record;
  }

  /** Fitness of a told, successful candidate; null otherwise. */
  fitness(id: string): number | null {
    const outcome = this.records.get(id)?.result?.outcome;
    return outcome?.status === 'ok' ? outcome.fitness : null;
  }

  outcome(id: string): Outcome | null {
    return this.records.get(id)?.result?.outcome ?? null;
  }

  /**
   * Whether the candidate has an artifact to hand out. Every successful candidate has one (tell refuses
   * a success without it, except for the seed, whose artifact is known at ask time); a failed one may
   * not (an LLM answer with no code), and such a candidate must never be handed out.
   */
  hasArtifact(id: string): boolean {
    const artifact = this.records.get(id)?.artifact;
    return artifact !== null && artifact !== undefined;
  }

  /** The candidate as a parent/reference for an operator. Throws if it has no artifact (see `hasArtifact`). */
  ref(id: string): CandidateRef {
    const record = this.records.get(id);
    if (!record || record.artifact === null) throw new Error(`candidate ${id} has no artifact to hand out`);
    const ref: CandidateRef = { id, artifact: record.artifact, outcome: record.result?.outcome ?? null };
    if (record.result?.descriptors) ref.descriptors = [...record.result.descriptors];
    return ref;
  }

  best(): CandidateRecord | null {
    return this.bestId === null ? null : (this.records.get(this.bestId) ?? null);
  }

  /** Ids in tell order. */
  toldIds(): readonly string[] {
    return this.told;
  }

  pendingIds(): string[] {
    return [...this.records.values()].filter((r) => !r.result).map((r) => r.id);
  }

  all(): CandidateRecord[] {
    return [...this.records.values()];
  }

  get size(): number {
    return this.records.size;
  }

  toJSON(): CandidateLogJson {
    return { records: this.all(), told: [...this.told] };
  }

  /** Rebuilds a log from `toJSON()` output, checking that it is consistent; throws saying what is not. */
  static fromJSON(input: unknown): CandidateLog {
    const data = CandidateLogJson.parse(input);
    const log = new CandidateLog();
    for (const r of data.records) {
      if (log.records.has(r.id)) throw new Error(`candidate ${r.id} appears twice`);
      log.records.set(r.id, structuredClone({ ...r, result: null, toldAt: null }));
    }
    const byId = new Map(data.records.map((r) => [r.id, r]));
    for (const id of data.told) {
      const stored = byId.get(id);
      if (!stored?.result) throw new Error(`${id} is listed as told but has no result`);
      if (log.tell(structuredClone(stored.result)) === null) throw new Error(`${id} is listed as told twice`);
    }
    const untold = data.records.find((r) => r.result !== null && !log.records.get(r.id)!.result);
    if (untold) throw new Error(`${untold.id} has a result but is not in the tell order`);
    return log;
  }
}

/** The id the engine gives the candidate asked at `index`. */
export function candidateId(index: number): string {
  return `c${String(index).padStart(6, '0')}`;
}
