import type { CandidateRef, CandidateRequest, CandidateResult, Outcome, PromptChoice } from '../contracts.ts';

/** Everything the search knows of one candidate: its provenance and, once told, its result. */
export interface CandidateRecord {
  id: string;
  index: number;
  generation: number;
  operator: CandidateRequest['operator'];
  parentIds: string[];
  prompt: PromptChoice | null;
  temperature: number;
  /** Known at ask time for 'seed' requests (the initial network), else from the result. */
  artifact: string | null;
  result: CandidateResult | null;
  /** Position in tell order (0 = first told), null while in flight. */
  toldAt: number | null;
}

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

  /** The candidate as a parent/reference for an operator. Throws if it has no artifact. */
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

  toJSON(): { records: CandidateRecord[]; told: string[] } {
    return { records: this.all(), told: [...this.told] };
  }

  /** Rebuilds a log from `toJSON()` output. */
  static fromJSON(data: { records: CandidateRecord[]; told: string[] }): CandidateLog {
    const log = new CandidateLog();
    for (const r of data.records) log.records.set(r.id, structuredClone({ ...r, result: null, toldAt: null }));
    const byId = new Map(data.records.map((r) => [r.id, r]));
    for (const id of data.told) {
      const stored = byId.get(id);
      if (!stored?.result) throw new Error(`snapshot says ${id} was told but has no result`);
      log.tell(structuredClone(stored.result));
    }
    return log;
  }
}

/** The id the engine gives the candidate asked at `index`. */
export function candidateId(index: number): string {
  return `c${String(index).padStart(6, '0')}`;
}
