import { z } from 'zod';
import { CandidateResult, OperatorKind, PromptChoice } from '@nasfleet/contracts';
import type { CandidateRef, Outcome } from '@nasfleet/contracts';

/** An architecture's canonical hash, as `CandidateResult.canonicalHash` bounds it. */
export const CanonicalHash = z.string().min(1).max(200);

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
  /**
   * The canonical hash this candidate owns in the search's de-duplication index: set by the first
   * claim of the hash (`claimHash`) or by a told result's `canonicalHash` that nobody owned yet. Null
   * when it has none, or when its architecture duplicates an earlier owner's (that owner keeps it).
   */
  hash: CanonicalHash.nullable(),
});
export type CandidateRecord = z.infer<typeof CandidateRecord>;

/** The log as plain JSON (what `toJSON` writes). */
export const CandidateLogJson = z.object({ records: z.array(CandidateRecord), told: z.array(z.string()) });
export type CandidateLogJson = z.infer<typeof CandidateLogJson>;

/**
 * What `fromJSON` reads: `CandidateLogJson`, or one written before the hash index (records without
 * `hash`), whose owners are rebuilt from the told results' hashes in tell order, as `tell` does.
 */
const StoredCandidateLog = z.object({
  records: z.array(CandidateRecord.extend({ hash: CanonicalHash.nullable().optional() })),
  told: z.array(z.string()),
});

/** The answer to a claim: the earlier owner of the hash, or null when the claimer owns it. */
export interface HashClaim {
  duplicateOf: string | null;
}

/**
 * The engine's ledger of candidates (plain data, snapshotted whole). It answers the questions every
 * strategy asks: what is this candidate, how did it do, which is the best so far.
 */
export class CandidateLog {
  private readonly records = new Map<string, CandidateRecord>();
  private readonly told: string[] = [];
  private bestId: string | null = null;
  /** canonical hash → owning candidate; derived from the records' `hash`, never snapshotted itself. */
  private readonly owners = new Map<string, string>();

  /** Registers an asked candidate. */
  add(record: CandidateRecord): void {
    if (this.records.has(record.id)) throw new Error(`candidate ${record.id} already exists`);
    if (record.hash !== null) throw new Error(`candidate ${record.id} is added with hash ${record.hash}: hashes are claimed, not added`);
    this.records.set(record.id, record);
  }

  /**
   * Claims `hash` for candidate `id`: the hash's owner if another candidate owns it (nothing is
   * recorded), else `id` becomes its owner and the answer is null. Repeating a claim gives the same
   * answer. Throws when `id` is unknown, the hash is malformed, or `id` already owns another hash (one
   * candidate is one architecture).
   */
  claim(id: string, hash: string): HashClaim {
    const record = this.records.get(id);
    if (!record) throw new Error(`claimHash: unknown candidate ${JSON.stringify(id)} (it was never asked)`);
    const checked = CanonicalHash.safeParse(hash);
    if (!checked.success) throw new Error(`claimHash(${id}): the hash must be a string of 1–200 characters, got ${JSON.stringify(hash)}`);
    if (record.hash !== null && record.hash !== hash) throw new Error(`claimHash(${id}): it already owns hash ${record.hash}, cannot claim ${hash} too`);
    const owner = this.owners.get(hash);
    if (owner !== undefined) return { duplicateOf: owner === id ? null : owner };
    record.hash = hash;
    this.owners.set(hash, id);
    return { duplicateOf: null };
  }

  /** The candidate owning `hash`, or null. */
  hashOwner(hash: string): string | null {
    return this.owners.get(hash) ?? null;
  }

  /** How many distinct canonical hashes the search has seen (claimed or told). */
  get distinctHashes(): number {
    return this.owners.size;
  }

  get(id: string): CandidateRecord | undefined {
    return this.records.get(id);
  }

  /**
   * Records a result; returns null (and changes nothing) if the candidate is unknown or already told.
   * Its `canonicalHash` becomes the candidate's if nobody owns that hash and the candidate owns none
   * (results told without a claim still de-duplicate later ones); a claimed hash is never replaced.
   */
  tell(result: CandidateResult): CandidateRecord | null {
    const record = this.records.get(result.id);
    if (!record || record.result) return null;
    record.result = result;
    record.artifact = result.artifact ?? record.artifact;
    record.toldAt = this.told.length;
    this.told.push(record.id);
    const hash = result.canonicalHash;
    if (hash !== undefined && record.hash === null && !this.owners.has(hash)) {
      record.hash = hash;
      this.owners.set(hash, record.id);
    }
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
    const data = StoredCandidateLog.parse(input);
    const log = new CandidateLog();
    for (const r of data.records) {
      if (log.records.has(r.id)) throw new Error(`candidate ${r.id} appears twice`);
      const hash = r.hash ?? null;
      if (hash !== null) {
        const owner = log.owners.get(hash);
        if (owner !== undefined) throw new Error(`hash ${hash} is owned by both ${owner} and ${r.id}`);
        log.owners.set(hash, r.id);
      }
      log.records.set(r.id, structuredClone({ ...r, result: null, toldAt: null, hash }));
    }
    const byId = new Map(data.records.map((r) => [r.id, r]));
    for (const id of data.told) {
      const stored = byId.get(id);
      if (!stored?.result) throw new Error(`${id} is listed as told but has no result`);
      if (log.tell(structuredClone(stored.result)) === null) throw new Error(`${id} is listed as told twice`);
    }
    const untold = data.records.find((r) => r.result !== null && !log.records.get(r.id)!.result);
    if (untold) throw new Error(`${untold.id} has a result but is not in the tell order`);
    // Replaying the tells registers no hash a consistent log did not already record (every told hash
    // has an owner from then on); one that does was edited. A log from before the index (no `hash`
    // field) has its owners rebuilt by that replay instead.
    const changed = data.records.find((r) => r.hash !== undefined && log.records.get(r.id)!.hash !== r.hash);
    if (changed) throw new Error(`${changed.id} was told hash ${log.records.get(changed.id)!.hash} but no candidate owns it`);
    return log;
  }
}

/** The id the engine gives the candidate asked at `index`. */
export function candidateId(index: number): string {
  return `c${String(index).padStart(6, '0')}`;
}
