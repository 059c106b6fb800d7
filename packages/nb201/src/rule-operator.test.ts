import { describe, expect, it } from 'vitest';
import { CandidateRequest, MutationIntent, OperatorKind } from '@nasfleet/contracts';
import type { CandidateRef, MemoryEntry, Outcome } from '@nasfleet/contracts';
import { extractCell, formatArchString, hammingDistance, parseArchString, sameCell, withEdge } from './cell-space.ts';
import type { Cell } from './cell-space.ts';
import { parseSuggestion } from './edit-memory.ts';
import { createNb201RuleOperator } from './rule-operator.ts';

const op = createNb201RuleOperator();
const RESNET = '|nor_conv_3x3~0|+|none~0|nor_conv_3x3~1|+|skip_connect~0|none~1|skip_connect~2|';
const ok = (fitness: number): Outcome => ({ status: 'ok', fitness });
const ref = (id: string, cell: Cell | string, outcome: Outcome | null = ok(85)): CandidateRef => ({
  id,
  artifact: typeof cell === 'string' ? cell : formatArchString(cell),
  outcome,
});

function request(over: Partial<CandidateRequest>): CandidateRequest {
  return CandidateRequest.parse({
    id: 'r1', index: 0, generation: 0, strategy: 'test', operator: 'mutate', parents: [ref('p', RESNET)],
    prompt: { id: 'p-add-conv', intent: 'add-conv' }, temperature: 0.1, memory: null, reference: null, improver: true, seed: 1,
    ...over,
  });
}
const cellOf = (artifact: string | null) => parseArchString(artifact ?? '');
/** The suggestion in the feedback, applied to `base`, must give the child. */
function expectSuggestionMatches(base: Cell, suggestion: string, child: Cell) {
  const edits = parseSuggestion(suggestion);
  expect(edits.length).toBeGreaterThan(0);
  expect(edits.reduce((c, e) => withEdge(c, e.edge, e.op), base)).toEqual(child);
}

describe('createNb201RuleOperator', () => {
  it('serves every operator kind with a valid cell, deterministically for a seed', () => {
    for (const kind of OperatorKind.options) {
      const r = request({ operator: kind, parents: [ref('a', RESNET), ref('b', '|none~0|+|skip_connect~0|none~1|+|avg_pool_3x3~0|nor_conv_1x1~1|none~2|')] });
      const out = op.apply(r);
      expect(out.failure).toBeUndefined();
      expect(() => extractCell(out.artifact!)).not.toThrow();
      expect(op.apply(r)).toEqual(out);
    }
  });

  it('seed returns the parent unchanged; sample draws fresh cells', () => {
    expect(op.apply(request({ operator: 'seed', parents: [ref('p', 'raw text ' + RESNET)] })).artifact).toBe('raw text ' + RESNET);
    expect(op.apply(request({ operator: 'seed', parents: [] })).failure?.class).toBe('invalid-artifact');
    const samples = new Set(Array.from({ length: 30 }, (_, seed) => op.apply(request({ operator: 'sample', parents: [], seed })).artifact));
    expect(samples.size).toBeGreaterThan(25);
  });

  it('mutate carries out each intent and reports it as machine-readable feedback', () => {
    const parent = parseArchString(RESNET);
    for (const intent of MutationIntent.options) {
      const out = op.apply(request({ prompt: { id: intent, intent }, seed: 3 }));
      const child = cellOf(out.artifact);
      expect(hammingDistance(child, parent)).toBeGreaterThan(0);
      expectSuggestionMatches(parent, out.feedback!.suggestion, child);
      expect(out.feedback!.problem).toContain(`prompt asks to ${intent}`);
      expect(typeof out.feedback!.intent).toBe('string');
    }
    const unknown = op.apply(request({ prompt: { id: 'x', intent: 'make-it-blue' } }));
    expect(unknown.feedback!.problem).toMatch(/unknown; treated as improve/);
  });

  it('mutate edits more at high temperature', () => {
    const size = (temperature: number) =>
      Array.from({ length: 30 }, (_, seed) => hammingDistance(cellOf(op.apply(request({ prompt: { id: 'g', intent: 'grow-drastically' }, parents: [ref('p', '000000')], temperature, seed })).artifact), [0, 0, 0, 0, 0, 0])).reduce((a, b) => a + b, 0);
    expect(size(1)).toBeGreaterThan(size(0.1) + 20);
  });

  it('mutate reports a malformed parent as invalid-artifact', () => {
    const out = op.apply(request({ parents: [ref('bad', 'a bigger network please')] }));
    expect(out.artifact).toBeNull();
    expect(out.failure).toMatchObject({ class: 'invalid-artifact', message: expect.stringMatching(/candidate bad: no NB201 cell found/) });
  });

  it('mutate does not repeat edits that hurt on this lineage', () => {
    for (let seed = 0; seed < 20; seed++) {
      const plain = op.apply(request({ seed }));
      const memory: MemoryEntry[] = [{ candidateId: 'c', problem: 'x', suggestion: plain.feedback!.suggestion, intent: 'add-conv', outcome: ok(80), baseline: 85 }];
      const remembered = op.apply(request({ seed, memory }));
      expect(remembered.artifact).not.toBe(plain.artifact);
      for (const e of parseSuggestion(plain.feedback!.suggestion)) expect(parseSuggestion(remembered.feedback!.suggestion)).not.toContainEqual(e);
      expect(remembered.feedback!.problem).toMatch(/avoided 1 edge change/);
    }
  });

  it('crossover merges parents and never returns a copy', () => {
    const a = parseArchString(RESNET);
    const b: Cell = [2, 4, 1, 0, 3, 2];
    for (let seed = 0; seed < 20; seed++) {
      const out = op.apply(request({ operator: 'crossover', parents: [ref('a', a), ref('b', b)], temperature: 0.1, seed }));
      const child = cellOf(out.artifact);
      expect(sameCell(child, a) || sameCell(child, b)).toBe(false);
      expect(out.feedback).toBeNull();
    }
    expect(op.apply(request({ operator: 'crossover', parents: [ref('x', 'nonsense')] })).failure?.class).toBe('invalid-artifact');
  });
});

describe('improve (feedback-memory loop)', () => {
  const best: Cell = [3, 0, 3, 1, 0, 1];
  const current: Cell = [3, 0, 3, 1, 4, 1];

  it('with the improver: fixes a failure first, from the reference, and avoids the failed cell', () => {
    const out = op.apply(request({
      operator: 'improve', prompt: null,
      parents: [ref('cur', 'nor_conv_3x3 everywhere', { status: 'failed', failure: { class: 'invalid-artifact', message: 'no NB201 cell found' } })],
      reference: ref('best', best, ok(90)),
    }));
    expect(out.feedback!.problem).toMatch(/^the last attempt failed \(invalid-artifact\).*start again from a valid cell/);
    expectSuggestionMatches(best, out.feedback!.suggestion, cellOf(out.artifact));
  });

  it('with the improver: edits the best cell when the attempt was worse, never landing on either', () => {
    for (let seed = 0; seed < 20; seed++) {
      const out = op.apply(request({ operator: 'improve', prompt: null, parents: [ref('cur', current, ok(80))], reference: ref('best', best, ok(90)), seed }));
      const child = cellOf(out.artifact);
      expect(out.feedback!.problem).toMatch(/scored 80\.00, below the best 90\.00/);
      expectSuggestionMatches(best, out.feedback!.suggestion, child);
      expect(sameCell(child, current) || sameCell(child, best)).toBe(false);
      expect(out.feedback!.intent).toBe('improve');
    }
  });

  it('with the improver: follows what helped in memory and drops what hurt', () => {
    const entry = (intent: string, fitness: number, suggestion = ''): MemoryEntry => ({ candidateId: intent, problem: '', suggestion, intent, outcome: ok(fitness), baseline: 85 });
    const memory = [entry('improve', 80), entry('improve', 82), entry('add-residual', 88), entry('widen', 70)];
    const out = op.apply(request({ operator: 'improve', prompt: null, parents: [ref('cur', current, ok(80))], reference: ref('best', [3, 3, 3, 2, 0, 1], ok(90)), memory }));
    expect(out.feedback!.intent).toBe('add-residual');
    const withoutHistory = op.apply(request({ operator: 'improve', prompt: null, parents: [ref('cur', current, ok(80))], reference: ref('best', [3, 3, 3, 2, 0, 1], ok(90)) }));
    expect(withoutHistory.feedback!.intent).toBe('improve');
  });

  it('without the improver: a generic improve edit on the reference, memory unread', () => {
    const memory: MemoryEntry[] = [{ candidateId: 'm', problem: '', suggestion: '', intent: 'improve', outcome: ok(10), baseline: 85 }];
    const out = op.apply(request({ operator: 'improve', improver: false, prompt: null, parents: [ref('cur', current, ok(80))], reference: ref('best', best, ok(90)), memory }));
    expect(out.feedback!.intent).toBe('improve');
    expect(out.feedback!.problem).toMatch(/^no improver/);
    expectSuggestionMatches(best, out.feedback!.suggestion, cellOf(out.artifact));
    // The weakest ops of the ResNet cell are its none edges: improve turns one into a 3x3 conv.
    const [change] = parseSuggestion(out.feedback!.suggestion);
    expect(best[change!.edge]).toBe(0);
    expect(change!.op).toBe(3);
  });

  it('with no usable cell at all, starts from a random one instead of failing', () => {
    const out = op.apply(request({ operator: 'improve', prompt: null, parents: [ref('cur', 'oops', null)], reference: null }));
    expect(() => cellOf(out.artifact)).not.toThrow();
    expect(out.feedback!.problem).toMatch(/started from a random cell/);
  });
});
