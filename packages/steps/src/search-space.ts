import type { AsyncOperator, CheckResult, Outcome } from '@nasfleet/contracts';
import type { SpaceBrief } from '@nasfleet/prompts';

/** A check result ready to be evaluated. */
export type Checked = Extract<CheckResult, { ok: true }>;

/** What evaluating a checked candidate gives: the fitness (or a failure) and what was measured. */
export interface Evaluation {
  outcome: Outcome;
  metrics: Record<string, number>;
}

/**
 * A search space: everything the search, the LLM and the workers need to know of it. The open code
 * space and the NB201 cell space implement it; a new space is a folder that registers one.
 */
export interface SearchSpace {
  readonly name: string;
  /** What an LLM is told of the task and how it must answer. */
  readonly brief: SpaceBrief;
  /** The artifact evolution starts from (SPEC §1's tiny network, in this space's form). */
  readonly initialArtifact: string;
  /** Bounds of the network archive's descriptors, in the order `check` returns them. */
  readonly descriptorBounds: [number, number][];
  /** The rule-based operator: the provider that needs no LLM, and the non-LLM baseline. */
  readonly ruleOperator: AsyncOperator;
  /** Whether a candidate whose canonical hash was seen takes that one's result (training is costly; a look-up is not). */
  readonly dedup: boolean;
  /** True once a streamed answer holds a complete artifact, so the rest need not be generated. */
  answerComplete(textSoFar: string): boolean;
  /** Answer → artifact, canonical hash, descriptors (and an architecture to train), or a failure that costs no training. Never throws for a bad answer. */
  check(answer: string): Promise<CheckResult>;
  /** A checked candidate → fitness (percent) and metrics: proxy training, or a table look-up. Never throws for a bad candidate. */
  evaluate(checked: Checked, candidateId: string): Promise<Evaluation>;
  /** Releases what the space holds (sandbox workers, datasets). */
  close?(): Promise<void>;
}
