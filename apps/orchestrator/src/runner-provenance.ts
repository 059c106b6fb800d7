import type { CandidateResult, StepRun } from '@nasfleet/contracts';
import { slimRequest } from './provenance.ts';
import type { CandidateProvenance } from './provenance.ts';
import type { Pending } from './runner-state.ts';

/** What the runner knows of a told candidate beyond its pending entry. */
export interface ToldContext {
  searchId: string;
  promptSetHash: string | null;
  /** The training step's worker and times (null: it was not trained here — failed check, duplicate, look-up). */
  trainRun: StepRun | null;
  /** The candidate whose result it copied, when it was a duplicate. */
  duplicateOf: string | null;
  toldAt: Date;
}

/** The provenance record of a candidate about to be told (CandidateProvenance). */
export function provenanceOf(p: Pending, result: CandidateResult, ctx: ToldContext): CandidateProvenance {
  return {
    format: 'nasfleet.candidate/v1',
    searchId: ctx.searchId,
    request: slimRequest(p.request),
    promptSetHash: ctx.promptSetHash,
    generate: p.generated?.generate ?? null,
    check: p.generated?.check ?? null,
    result,
    duplicateOf: ctx.duplicateOf,
    steps: { generate: p.generated?.run ?? null, train: ctx.trainRun },
    askedAt: p.askedAt ?? null,
    toldAt: ctx.toldAt.toISOString(),
  };
}
