import type { CandidateRequest, CandidateResult, PromptChoice } from '@nasfleet/contracts';
import { Rng } from '@nasfleet/contracts';

/**
 * A toy search space for testing the engine without NB201, TF.js or an LLM: an artifact is a string
 * of 8 digits 0–4; fitness rewards 3s; a digit '9' anywhere means "untrainable". Descriptors are the
 * digit sum and the number of zeros, bounds [0, 32] and [0, 8].
 */
export const TOY_BOUNDS: [number, number][] = [[0, 32], [0, 8]];
export const TOY_INITIAL = '00000000';
export const TOY_PROMPTS: PromptChoice[] = [
  { id: 'add-layer', intent: 'add-layer' },
  { id: 'remove-layer', intent: 'remove-layer' },
  { id: 'improve', intent: 'improve' },
  { id: 'grow-drastically', intent: 'grow-drastically' },
];
export const TOY_CROSSOVER: PromptChoice = { id: 'crossover', intent: 'crossover' };

/** A deterministic rule-based operator for the toy space. */
export function toyOperate(request: CandidateRequest): string {
  const rng = Rng.fromSeed(request.seed);
  const parent = request.parents[0]?.artifact ?? TOY_INITIAL;
  switch (request.operator) {
    case 'seed':
      return parent;
    case 'sample':
      return Array.from({ length: 8 }, () => String(rng.int(0, 4))).join('');
    case 'crossover':
      return Array.from({ length: 8 }, (_, i) => rng.pick(request.parents).artifact[i]).join('');
    default: {
      const digits = [...(request.reference?.artifact ?? parent)];
      const edits = 1 + Math.floor(request.temperature * 2);
      for (let e = 0; e < edits; e++) digits[rng.int(0, 7)] = String(rng.int(0, 4));
      return digits.join('');
    }
  }
}

/** Evaluates a toy artifact into a result. */
export function toyEvaluate(id: string, artifact: string): CandidateResult {
  if (artifact.includes('9')) {
    return { id, artifact, outcome: { status: 'failed', failure: { class: 'shape', message: 'a 9 does not fit' } } };
  }
  const digits = [...artifact].map(Number);
  const fitness = digits.reduce((s, d, i) => s + (d === 3 ? 10 : d) + (i % 2 ? 0 : d / 10), 0);
  return {
    id, artifact, outcome: { status: 'ok', fitness },
    descriptors: [digits.reduce((s, d) => s + d, 0), digits.filter((d) => d === 0).length],
    feedback: toyFeedback(artifact),
  };
}

function toyFeedback(artifact: string) {
  return { problem: `has ${[...artifact].filter((d) => d !== '3').length} non-3 digits`, suggestion: 'turn a digit into 3', intent: 'improve' };
}

/** Runs ask → operate → evaluate → tell for `evaluations` candidates, `batch` at a time. */
export function runToy(
  engine: { ask(n: number): CandidateRequest[]; tell(r: unknown[]): unknown },
  evaluations: number,
  batch = 10,
  transform: (r: CandidateResult) => CandidateResult = (r) => r,
): CandidateRequest[] {
  const asked: CandidateRequest[] = [];
  while (asked.length < evaluations) {
    const requests = engine.ask(Math.min(batch, evaluations - asked.length));
    asked.push(...requests);
    engine.tell(requests.map((r) => transform(toyEvaluate(r.id, toyOperate(r)))));
  }
  return asked;
}
