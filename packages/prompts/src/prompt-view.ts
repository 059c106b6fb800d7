import type { CandidateRef, Failure, Feedback, MemoryEntry, Outcome } from '@nasfleet/contracts';

/**
 * How the search's fitness reads as an accuracy: both spaces tell the engine percent (the code
 * space scales the trainer's fraction); a caller scoring in [0, 1] says 'fraction'. Prompts always show percent.
 */
export type FitnessUnit = 'fraction' | 'percent';

/** A candidate as templates see it. */
export interface CandidateView {
  id: string;
  /** 1-based position among the parents (crossover), else 1. */
  number: number;
  /** The artifact, verbatim. */
  code: string;
  /** The artifact in a fenced block whose fence no line of the artifact can close. */
  block: string;
  /** 'accuracy 81.2%', 'failed (shape)' or 'not evaluated yet': one line, for a heading (the message is in `failure`). */
  result: string;
  /** '81.2%', or null unless evaluated successfully. */
  accuracy: string | null;
  failed: boolean;
  failure: Failure | null;
}

/** One feedback-memory triple as templates see it. */
export interface MemoryView {
  number: number;
  candidateId: string;
  problem: string;
  suggestion: string;
  intent: string | null;
  /** 'accuracy 81.2%' or 'failed (shape): message'. */
  outcome: string;
  /** The accuracy of what the change was applied to ('79.0%'), or null when unknown. */
  baseline: string | null;
  failed: boolean;
}

/** Fitness as a percentage with one decimal, e.g. '81.2%'. */
export function formatAccuracy(fitness: number, unit: FitnessUnit): string {
  return `${(unit === 'fraction' ? fitness * 100 : fitness).toFixed(1)}%`;
}

/** An outcome in words: 'accuracy 81.2%' or 'failed (shape): message'. */
export function formatOutcome(outcome: Outcome | null, unit: FitnessUnit): string {
  if (outcome === null) return 'not evaluated yet';
  return outcome.status === 'ok' ? `accuracy ${formatAccuracy(outcome.fitness, unit)}` : `failed (${outcome.failure.class}): ${outcome.failure.message}`;
}

/**
 * `text` in a fenced block tagged `lang`. The fence is one backtick longer than the longest run of
 * backticks at the start of any line of `text`, so an artifact holding a fence of its own (an LLM
 * answer stored whole) cannot end the block early.
 */
export function fenced(text: string, lang: string): string {
  let longest = 0;
  for (const m of text.matchAll(/^[^\S\n]*(`{3,})/gm)) longest = Math.max(longest, m[1]!.length);
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}${lang}\n${text.replace(/\n$/, '')}\n${fence}`;
}

/** A candidate's view, its artifact fenced as `lang`. */
export function candidateView(ref: CandidateRef, number: number, lang: string, unit: FitnessUnit): CandidateView {
  const outcome = ref.outcome;
  return {
    id: ref.id,
    number,
    code: ref.artifact,
    block: fenced(ref.artifact, lang),
    result: outcome?.status === 'failed' ? `failed (${outcome.failure.class})` : formatOutcome(outcome, unit),
    accuracy: outcome?.status === 'ok' ? formatAccuracy(outcome.fitness, unit) : null,
    failed: outcome?.status === 'failed',
    failure: outcome?.status === 'failed' ? outcome.failure : null,
  };
}

/** The memory window's views, oldest first; empty problems and suggestions say so rather than vanish. */
export function memoryViews(memory: readonly MemoryEntry[] | null, unit: FitnessUnit): MemoryView[] {
  return (memory ?? []).map((m, i) => ({
    number: i + 1,
    candidateId: m.candidateId,
    problem: m.problem.trim() || '(not recorded)',
    suggestion: m.suggestion.trim() || '(not recorded)',
    intent: m.intent ?? null,
    outcome: formatOutcome(m.outcome, unit),
    baseline: m.baseline === null || m.baseline === undefined ? null : formatAccuracy(m.baseline, unit),
    failed: m.outcome.status === 'failed',
  }));
}

/** The improver's feedback as the generator's template sees it (null fields rather than missing ones). */
export function feedbackView(feedback: Feedback | null): { problem: string; suggestion: string; intent: string | null } | null {
  return feedback === null ? null : { problem: feedback.problem, suggestion: feedback.suggestion, intent: feedback.intent ?? null };
}
