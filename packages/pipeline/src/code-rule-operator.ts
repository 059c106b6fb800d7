import { applyIntent, crossoverArchitectures, printCode, randomArchitecture } from '@nasfleet/arch';
import type { Architecture, EditContext, EditResult } from '@nasfleet/arch';
import { architectureFromAnswer } from '@nasfleet/sandbox';
import { MutationIntent, Rng } from '@nasfleet/contracts';
import type { AsyncOperator, CandidateRef, CandidateRequest, Failure, Feedback, MemoryEntry, OperatorOutput } from '@nasfleet/contracts';

/** The task and caps the code-space operator edits for. */
export interface CodeOperatorContext extends EditContext {
  inputShape: [number, number, number];
}

/** Intents the improver tries, best first, when memory has no opinion. */
const IMPROVER_ORDER: readonly MutationIntent[] = ['improve', 'add-conv', 'add-normalisation', 'widen', 'add-residual', 'add-pooling', 'add-layer', 'change-activation', 'add-dropout', 'narrow', 'remove-layer'];

/**
 * The rule-based stand-in for an LLM in the open code space. Artifacts are TF.js code in the LLM
 * contract; a parent is read back through the same sandbox an LLM answer goes through, edited as an
 * architecture description (each prompt intent is one edit of `@nasfleet/arch`), and printed as code
 * again. Deterministic for `request.seed`. Memory (hybrid, feedback-memory) steers the intent away
 * from what hurt or failed. Failures come back as data.
 */
export function createCodeRuleOperator(ctx: CodeOperatorContext): AsyncOperator {
  const read = async (ref: CandidateRef): Promise<Architecture | Failure> => {
    const parsed = await architectureFromAnswer(ref.artifact, { inputShape: ctx.inputShape, numClasses: ctx.numClasses });
    return parsed.ok ? parsed.architecture : parsed.failure;
  };
  const emit = (result: EditResult, feedback: Feedback | null): OperatorOutput =>
    result.ok
      ? { artifact: printCode(result.arch, { inputShape: ctx.inputShape, numClasses: ctx.numClasses }), feedback }
      : { artifact: null, failure: result.failure, feedback };

  return {
    async apply(request: CandidateRequest): Promise<OperatorOutput> {
      const rng = Rng.fromSeed(request.seed);
      switch (request.operator) {
        case 'seed':
          return { artifact: request.parents[0]?.artifact ?? null, feedback: null };
        case 'sample':
          return { artifact: printCode(randomArchitecture(rng, ctx), { inputShape: ctx.inputShape, numClasses: ctx.numClasses }), feedback: null };
        case 'crossover': {
          const archs = await Promise.all(request.parents.map(read));
          const valid = archs.filter((a): a is Architecture => !('class' in a));
          if (valid.length === 0) return { artifact: null, failure: parentFailure(archs[0] as Failure) };
          return emit(crossoverArchitectures(valid, rng, ctx), null);
        }
        case 'mutate': {
          const parent = request.parents[0];
          if (!parent) return { artifact: null, failure: { class: 'invalid-artifact', message: 'a mutation needs a parent' } };
          const arch = await read(parent);
          if ('class' in arch) return { artifact: null, failure: parentFailure(arch) };
          // No prompt (regularized evolution): a random intent at the mildest strength.
          const asked = MutationIntent.safeParse(request.prompt?.intent);
          const intent = request.prompt === null ? rng.pick(MutationIntent.options) : asked.success ? asked.data : 'improve';
          const chosen = request.memory ? steer(intent, request.memory) : intent;
          const { result, applied } = applyWithFallback(arch, chosen, request.temperature, rng, ctx);
          return emit(result, result.ok ? { problem: `prompt asks to ${intent}`, suggestion: result.description, intent: applied } : null);
        }
        case 'improve':
          return improve(request, rng, read, emit, ctx);
      }
    },
  };
}

async function improve(
  request: CandidateRequest,
  rng: Rng,
  read: (ref: CandidateRef) => Promise<Architecture | Failure>,
  emit: (result: EditResult, feedback: Feedback | null) => OperatorOutput,
  ctx: CodeOperatorContext,
): Promise<OperatorOutput> {
  const current = request.parents[0] ?? null;
  const base = request.reference ?? current;
  if (!base) return { artifact: null, failure: { class: 'invalid-artifact', message: 'improve needs a current attempt or a reference' } };
  const arch = await read(base);
  if ('class' in arch) return { artifact: null, failure: parentFailure(arch) };
  if (!request.improver) {
    const result = applyIntent(arch, 'improve', request.temperature, rng, ctx);
    return emit(result, result.ok ? { problem: '', suggestion: result.description, intent: 'improve' } : null);
  }
  const outcome = current?.outcome;
  const problem =
    outcome?.status === 'failed'
      ? `the last attempt failed (${outcome.failure.class}): ${outcome.failure.message.slice(0, 300)}; start again from the best network`
      : outcome?.status === 'ok'
        ? `the last attempt reached ${outcome.fitness.toFixed(2)}; the best so far is ${request.reference?.outcome?.status === 'ok' ? request.reference.outcome.fitness.toFixed(2) : 'unknown'}`
        : 'no attempt yet';
  const { result, applied } = applyWithFallback(arch, chooseIntent(request.memory ?? []), request.temperature, rng, ctx);
  return emit(result, result.ok ? { problem, suggestion: `${applied}: ${result.description}`, intent: applied } : null);
}

/**
 * Applies an intent; when it has nothing to change in this network ('invalid-artifact', e.g. a
 * residual where there is no room for one), falls back to the improver's intents in order, as an
 * LLM would do something sensible rather than return nothing. Other failures are returned as they are.
 */
function applyWithFallback(arch: Architecture, intent: MutationIntent, temperature: number, rng: Rng, ctx: CodeOperatorContext): { result: EditResult; applied: MutationIntent } {
  let result = applyIntent(arch, intent, temperature, rng, ctx);
  if (result.ok || result.failure.class !== 'invalid-artifact') return { result, applied: intent };
  for (const next of IMPROVER_ORDER) {
    if (next === intent) continue;
    const attempt = applyIntent(arch, next, temperature, rng, ctx);
    if (attempt.ok) return { result: attempt, applied: next };
    result = attempt;
  }
  return { result, applied: intent };
}

/** Keeps the prompt's intent unless memory shows it hurt or failed on this line; then the improver's choice. */
function steer(intent: MutationIntent, memory: readonly MemoryEntry[]): MutationIntent {
  return score(memory).get(intent)! < 0 ? chooseIntent(memory) : intent;
}

/** The intent with the best memory score (helped +1, hurt −1, failed −2); ties in the improver's order. */
export function chooseIntent(memory: readonly MemoryEntry[]): MutationIntent {
  const scores = score(memory);
  let best = IMPROVER_ORDER[0]!;
  for (const intent of IMPROVER_ORDER) if (scores.get(intent)! > scores.get(best)!) best = intent;
  return best;
}

function score(memory: readonly MemoryEntry[]): Map<string, number> {
  const scores = new Map<string, number>(MutationIntent.options.map((i) => [i, 0]));
  for (const m of memory) {
    if (!m.intent || !scores.has(m.intent)) continue;
    const delta = m.outcome.status === 'failed' ? -2 : m.baseline != null && m.outcome.fitness > m.baseline ? 1 : -1;
    scores.set(m.intent, scores.get(m.intent)! + delta);
  }
  return scores;
}

function parentFailure(f: Failure): Failure {
  return { class: f.class, message: `the parent network could not be read: ${f.message}` };
}
