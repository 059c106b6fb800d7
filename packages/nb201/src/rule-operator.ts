import { MutationIntent, Rng } from '@nasfleet/contracts';
import type { CandidateRef, CandidateRequest, Feedback, Operator, OperatorOutput } from '@nasfleet/contracts';
import { crossoverCells } from './cell-crossover.ts';
import { applyIntent, weakestEdges } from './cell-edits.ts';
import type { ApplyIntentOptions, EditIntent, EditResult } from './cell-edits.ts';
import { edgeLabel, extractCell, formatArchString, isConnected, OP, opName, sameCell, sampleCell } from './cell-space.ts';
import type { Cell } from './cell-space.ts';
import { assignmentKey, formatSuggestion, NO_LESSONS, readMemory } from './edit-memory.ts';
import type { MemoryLessons } from './edit-memory.ts';
import { CellParseError } from './errors.ts';
import type { Nb201OperatorLevel } from './operator-level.ts';

/** Order in which the improver considers intents when memory has no opinion: what an NB201 expert tries first. */
const EXPERT_HEAD: readonly MutationIntent[] = ['improve', 'widen', 'add-conv', 'add-residual', 'grow-drastically', 'add-layer', 'narrow', 'remove-layer'];
const EXPERT_ORDER: readonly MutationIntent[] = [...EXPERT_HEAD, ...MutationIntent.options.filter((i) => !EXPERT_HEAD.includes(i))];

/** Options of `createNb201RuleOperator`. */
export interface Nb201RuleOperatorOptions {
  /** How much the operator knows of good cells (see `Nb201OperatorLevel`); default 'expert'. */
  level?: Nb201OperatorLevel;
}

/**
 * The rule-based stand-in for an LLM on the NB201 cell space. Serves every operator kind;
 * deterministic for `request.seed`; outputs canonical arch strings. mutate/improve never return
 * the cell they edited, read `request.memory` (skip assignments that hurt or failed, prefer ones
 * that helped) and return machine-readable feedback ("set edge 1->3 to nor_conv_3x3", intent).
 * A parent that is not a cell yields an `invalid-artifact` failure, never a throw.
 */
export function createNb201RuleOperator(options: Nb201RuleOperatorOptions = {}): Operator {
  const level = options.level ?? 'expert';
  return {
    apply(request: CandidateRequest): OperatorOutput {
      const rng = Rng.fromSeed(request.seed);
      switch (request.operator) {
        case 'seed': {
          const parent = request.parents[0];
          return parent ? { artifact: parent.artifact, feedback: null } : invalid('a seed request needs parents[0], the cell to evaluate');
        }
        case 'sample':
          return { artifact: formatArchString(sampleCell(rng)), feedback: null };
        case 'mutate':
          return mutate(request, rng, level);
        case 'crossover':
          return crossover(request, rng);
        case 'improve':
          return improve(request, rng, level);
      }
    },
  };
}

function mutate(request: CandidateRequest, rng: Rng, level: Nb201OperatorLevel): OperatorOutput {
  const parent = request.parents[0];
  if (!parent) return invalid('a mutate request needs parents[0], the cell to edit');
  const cell = cellOf(parent);
  if (typeof cell === 'string') return invalid(cell);
  // No prompt (regularized evolution): a uniform random edit, with no expert prior.
  const asked = MutationIntent.safeParse(request.prompt?.intent);
  const intent: EditIntent = request.prompt === null ? 'any-edit' : asked.success ? asked.data : 'improve';
  const lessons = readMemory(request.memory);
  const result = applyIntent(cell, intent, { rng, temperature: request.temperature, lessons, level });
  const notes = [
    request.prompt === null ? 'no prompt: one random edit' : asked.success ? `prompt asks to ${intent}` : `prompt intent '${request.prompt.intent}' is unknown; treated as improve`,
  ];
  return { artifact: formatArchString(result.cell), feedback: feedbackFor(cell, intent, result, lessons, notes) };
}

function crossover(request: CandidateRequest, rng: Rng): OperatorOutput {
  const cells = request.parents.map(cellOf).filter((c): c is Cell => typeof c !== 'string');
  if (cells.length === 0) return invalid(`crossover needs at least one parent that is a valid cell; got ${request.parents.length} parent(s), none valid`);
  return { artifact: formatArchString(crossoverCells(cells, request.temperature, rng)), feedback: null };
}

/**
 * Feedback-memory step. With the improver: diagnose the current attempt (failures first), choose
 * an intent from memory (what helped, skipping what hurt), then apply it to the reference (or the
 * current cell when there is no reference). Without it: a generic 'improve' edit, memory unread.
 */
function improve(request: CandidateRequest, rng: Rng, level: Nb201OperatorLevel): OperatorOutput {
  const current = request.parents[0] ?? null;
  const currentCell = current ? cellOf(current) : 'no current attempt';
  const referenceCell = request.reference ? cellOf(request.reference) : 'no reference';
  const notes: string[] = [];
  let base: Cell;
  if (typeof referenceCell !== 'string') base = referenceCell;
  else if (typeof currentCell !== 'string') base = currentCell;
  else {
    base = sampleCell(rng);
    notes.push(`neither the current attempt nor the reference is a valid cell (${currentCell}); started from a random cell`);
  }
  const forbidden = [currentCell, referenceCell].filter((c): c is Cell => typeof c !== 'string');

  if (!request.improver) {
    const result = editAvoiding(base, 'improve', { rng, temperature: request.temperature, level }, NO_LESSONS, forbidden);
    return { artifact: formatArchString(result.cell), feedback: feedbackFor(base, 'improve', result, NO_LESSONS, ['no improver: generic improvement of the best cell', ...notes]) };
  }

  const lessons = readMemory(request.memory);
  if (current?.outcome?.status === 'failed') {
    const f = current.outcome.failure;
    notes.unshift(`the last attempt failed (${f.class}): ${f.message.slice(0, 300)}; fix: ${f.class === 'duplicate' ? 'change an edge so the cell is new' : 'start again from a valid cell'}`);
  } else if (current?.outcome?.status === 'ok') {
    const best = request.reference?.outcome?.status === 'ok' ? request.reference.outcome.fitness : null;
    notes.unshift(
      best !== null && current.outcome.fitness < best
        ? `the last attempt scored ${fmt(current.outcome.fitness)}, below the best ${fmt(best)}; editing the best cell instead`
        : `the last attempt scored ${fmt(current.outcome.fitness)}${best !== null ? ` (best ${fmt(best)})` : ''}`,
    );
  }
  // Neutral: ties between intents are broken in a uniformly random order, not the expert's.
  const intent = chooseIntent(lessons, level === 'neutral' ? rng.sample(MutationIntent.options, MutationIntent.options.length) : EXPERT_ORDER);
  const result = editAvoiding(base, intent, { rng, temperature: request.temperature, level }, lessons, forbidden);
  return { artifact: formatArchString(result.cell), feedback: feedbackFor(base, intent, result, lessons, notes) };
}

/** The intent with the best memory score; among equals, the first in `order` (default: the expert's). Negative scores sink. */
export function chooseIntent(lessons: MemoryLessons, order: readonly MutationIntent[] = EXPERT_ORDER): MutationIntent {
  let best: MutationIntent = order[0]!;
  let bestScore = -Infinity;
  for (const intent of order) {
    const score = lessons.intentScore.get(intent) ?? 0;
    if (score > bestScore) {
      best = intent;
      bestScore = score;
    }
  }
  return best;
}

/** Applies an intent, re-drawing (with the offending assignments avoided) if it lands on a forbidden cell. */
function editAvoiding(base: Cell, intent: EditIntent, how: Omit<ApplyIntentOptions, 'lessons'>, lessons: MemoryLessons, forbidden: readonly Cell[]): EditResult {
  let current = lessons;
  let result = applyIntent(base, intent, { ...how, lessons: current });
  for (let attempt = 0; attempt < 4 && forbidden.some((f) => sameCell(f, result.cell)); attempt++) {
    const avoid = new Set(current.avoid);
    result.changes.forEach((c) => avoid.add(assignmentKey(c.edge, c.op)));
    current = { ...current, avoid };
    result = applyIntent(base, attempt < 2 ? intent : 'any-edit', { ...how, lessons: current });
  }
  return result;
}

function feedbackFor(base: Cell, intent: EditIntent, result: EditResult, lessons: MemoryLessons, notes: string[]): Feedback {
  const parts = [...notes, diagnose(base)];
  if (result.applied !== intent) parts.push(`'${intent}' could not apply to this cell, did '${result.applied}' instead`);
  if (lessons.avoid.size > 0) parts.push(`avoided ${lessons.avoid.size} edge change(s) that hurt or failed before`);
  return { problem: parts.join('; ').slice(0, 2000), suggestion: formatSuggestion(result.changes), intent: result.applied };
}

/** A short diagnosis of a cell: its weakest edge and whether the output is reachable. */
function diagnose(cell: Cell): string {
  const weak = weakestEdges(cell);
  const counts = [0, 0, 0, 0, 0];
  cell.forEach((op) => counts[op]!++);
  const what = weak.length > 0 ? `weakest edge(s) ${weak.map((e) => `${edgeLabel(e)} (${opName(cell[e]!)})`).join(', ')}` : 'no weak edge left';
  return `cell ${formatArchString(cell)} has ${counts[OP.conv3x3]} nor_conv_3x3, ${counts[OP.conv1x1]} nor_conv_1x1, ${counts[OP.skip]} skip, ${counts[OP.avgPool]} avg_pool, ${counts[OP.none]} none; ${what}${isConnected(cell) ? '' : '; the output is cut off from the input'}`;
}

/** The cell of a candidate, or a message saying why it is not one. */
function cellOf(ref: CandidateRef): Cell | string {
  try {
    return extractCell(ref.artifact);
  } catch (err) {
    if (err instanceof CellParseError) return `candidate ${ref.id}: ${err.message}`;
    throw err;
  }
}

function invalid(message: string): OperatorOutput {
  return { artifact: null, failure: { class: 'invalid-artifact', message: message.slice(0, 4000) }, feedback: null };
}

function fmt(x: number): string {
  return x.toFixed(2);
}
