import { afterAll, describe, expect, it } from 'vitest';
import type { CandidateRef, CandidateRequest, MemoryEntry } from '@nasfleet/contracts';
import { extractCell, formatArchString, parseArchString } from '@nasfleet/nb201';
import { startOllamaDouble } from '@nasfleet/ollama-double';
import { describeTask, IMPROVER_JSON_SCHEMA, loadPromptSet, NB201_ANSWER_CONTRACT, parseImproverAnswer, renderRequest } from '@nasfleet/prompts';
import type { ChatMessage, SpaceBrief } from '@nasfleet/prompts';
import { architectureFromAnswer, closeDefaultSandboxPool, CODE_CONTRACT, extractCode } from '@nasfleet/sandbox';
import { DEPTHWISE, RESIDUAL, SEQUENTIAL_CNN } from '@nasfleet/sandbox/fixtures/valid-models.ts';
import { HOSTILE_ANSWERS } from '@nasfleet/sandbox/fixtures/hostile/hostile-answers.ts';
import { createRuleResponder } from './support/rule-responder.ts';
import type { ResponderMode } from './support/rule-responder.ts';

const task = { inputShape: [28, 28, 1] as [number, number, number], numClasses: 10, maxParams: 2_000_000 };
const set = loadPromptSet();
const codeBrief: SpaceBrief = { space: 'code', task: describeTask({ dataset: 'Fashion-MNIST', ...task }), answerContract: CODE_CONTRACT };
const nb201Brief: SpaceBrief = { space: 'nb201', task: 'Classify CIFAR-10 images; the score is the NAS-Bench-201 200-epoch validation accuracy.', answerContract: NB201_ANSWER_CONTRACT };
// A wide wall clock, so that a loaded machine cannot turn a valid answer into 'timeout'; answers that
// never return get a short one (only the deadline ends them, so their class does not depend on it).
const sandbox = (answer: string, timeoutMs = 60_000) => architectureFromAnswer(answer, { inputShape: task.inputShape, numClasses: task.numClasses, timeoutMs });
const codeOf = (answer: string): string => {
  const found = extractCode(answer);
  if (!found.ok) throw new Error(`no code: ${found.failure.message}`);
  return found.code;
};
const chat = (messages: ChatMessage[], options: Record<string, unknown> = { seed: 42, temperature: 0.7 }, format: unknown = null) => ({ messages, options, format });

const ok = (fitness: number) => ({ status: 'ok' as const, fitness });
const ref = (id: string, artifact: string, outcome: CandidateRef['outcome']): CandidateRef => ({ id, artifact, outcome });
const request = (over: Partial<CandidateRequest>): CandidateRequest => ({
  id: 'c9', index: 9, generation: 1, strategy: 'llmatic', operator: 'mutate', parents: [ref('c2', SEQUENTIAL_CNN, ok(0.81))],
  prompt: { id: 'add-conv', intent: 'add-conv' }, temperature: 0.7, memory: null, reference: null, improver: false, seed: 1, ...over,
});
const CELL = '|nor_conv_1x1~0|+|none~0|avg_pool_3x3~1|+|skip_connect~0|none~1|nor_conv_3x3~2|';
const CELL_B = '|nor_conv_3x3~0|+|nor_conv_3x3~0|none~1|+|none~0|nor_conv_3x3~1|avg_pool_3x3~2|';

afterAll(() => closeDefaultSandboxPool());

describe('rule responder, code space: cooperative answers derived from the prompt', () => {
  it.each(['add-conv', 'add-pooling', 'widen', 'add-residual', 'add-normalisation', 'remove-layer'])('mutate by %s: a new network that passes the sandbox', async (intent) => {
    const responder = createRuleResponder(task);
    const messages = renderRequest(request({ prompt: { id: intent, intent } }), set, codeBrief).generator(null);
    const answer = await responder(chat(messages));
    expect(responder.turns[0]).toMatchObject({ space: 'code', role: 'mutate', askedIntent: intent, mode: 'cooperative', seed: 42, temperature: 0.7 });
    expect(answer).toMatch(/^I changed it as asked: [\s\S]*\n```javascript\nfunction buildModel\(tf, inputShape, numClasses\) \{[\s\S]*\n```\n$/);
    expect(codeOf(answer)).not.toBe(SEQUENTIAL_CNN);
    const result = await sandbox(answer);
    expect(result.ok, JSON.stringify(result.ok ? null : result.failure)).toBe(true);
  });

  it('is reproducible for a seed, and the seed and temperature are the request\'s', async () => {
    const messages = renderRequest(request({ prompt: { id: 'grow-drastically', intent: 'grow-drastically' } }), set, codeBrief).generator(null);
    const a = await createRuleResponder(task)(chat(messages, { seed: 5, temperature: 0.9 }));
    expect(await createRuleResponder(task)(chat(messages, { seed: 5, temperature: 0.9 }))).toBe(a);
    const seeds = await Promise.all([1, 2, 3, 4].map((seed) => createRuleResponder(task)(chat(messages, { seed, temperature: 1 }))));
    expect(new Set([a, ...seeds]).size).toBeGreaterThan(1);
    const r = createRuleResponder(task);
    await r(chat(messages, { temperature: 5 }));
    expect(r.turns[0]!.temperature).toBe(1);
    expect(r.turns[0]!.seed).toBeGreaterThanOrEqual(0);
  });

  it('crossover: reads every parent and answers one network unlike each', async () => {
    const parents = [ref('a', SEQUENTIAL_CNN, ok(0.8)), ref('b', RESIDUAL, ok(0.84)), ref('c', DEPTHWISE, ok(0.78))];
    const responder = createRuleResponder(task);
    const answer = await responder(chat(renderRequest(request({ operator: 'crossover', parents, prompt: { id: 'crossover', intent: 'crossover' } }), set, codeBrief).generator(null)));
    expect(responder.turns[0]).toMatchObject({ role: 'crossover', askedIntent: null });
    for (const p of parents) expect(codeOf(answer)).not.toBe(p.artifact);
    expect((await sandbox(answer)).ok).toBe(true);
  });

  it('hybrid: a prompt whose intent failed twice on this lineage is steered to another intent', async () => {
    const failedPooling = (n: number): MemoryEntry => ({ candidateId: `c${n}`, problem: 'p', suggestion: 'pool', intent: 'add-pooling', outcome: { status: 'failed', failure: { class: 'shape', message: 'pool larger than the map' } }, baseline: 0.81 });
    const responder = createRuleResponder(task);
    const messages = renderRequest(request({ strategy: 'hybrid', prompt: { id: 'add-pooling', intent: 'add-pooling' }, memory: [failedPooling(3), failedPooling(4)] }), set, codeBrief).generator(null);
    const answer = await responder(chat(messages));
    expect(responder.turns[0]!.askedIntent).toBe('add-pooling');
    expect(responder.turns[0]!.intent).not.toBe('add-pooling');
    expect((await sandbox(answer)).ok).toBe(true);
  });
});

describe('rule responder, code space: the feedback-memory roles', () => {
  const reference = ref('c6', RESIDUAL, ok(0.874));
  const broken = ref('c8', SEQUENTIAL_CNN.replace("padding: 'same', ", '').replace('kernelSize: [3, 3]', 'kernelSize: [9, 9]'), { status: 'failed', failure: { class: 'shape', message: 'conv2d: the 9x9 kernel is larger than the 6x6 input' } });
  const improve = (over: Partial<CandidateRequest> = {}) => request({ strategy: 'feedback-memory', operator: 'improve', prompt: null, parents: [broken], reference, improver: true, ...over });

  it('the improver answers JSON that suggests fixing a failure; the generator carries out the intent it named', async () => {
    const responder = createRuleResponder(task);
    const rendered = renderRequest(improve(), set, codeBrief);
    const json = await responder(chat(rendered.improver!, { seed: 3, temperature: 0.5 }, IMPROVER_JSON_SCHEMA));
    const parsed = parseImproverAnswer(json);
    if (!parsed.ok) throw new Error(parsed.message);
    expect(parsed.feedback.problem).toMatch(/failed with a shape error: conv2d: the 9x9 kernel/);
    expect(parsed.feedback.suggestion).toMatch(/^Fix the shape error first/);
    expect(responder.turns[0]).toMatchObject({ role: 'improver', intent: parsed.feedback.intent });

    const answer = await responder(chat(rendered.generator(parsed.feedback), { seed: 4, temperature: 0.5 }));
    expect(responder.turns[1]).toMatchObject({ role: 'generator', askedIntent: parsed.feedback.intent });
    expect(codeOf(answer)).not.toBe(RESIDUAL);
    expect((await sandbox(answer)).ok).toBe(true);
  });

  it('after a success the improver suggests an intent, without a fix', async () => {
    const responder = createRuleResponder(task);
    const json = await responder(chat(renderRequest(improve({ parents: [ref('c8', DEPTHWISE, ok(0.7))] }), set, codeBrief).improver!, undefined, 'json'));
    const parsed = parseImproverAnswer(json);
    expect(parsed.ok && parsed.feedback.suggestion.startsWith('Fix')).toBe(false);
    expect(parsed.ok && parsed.feedback.intent).toBeTruthy();
  });

  it('no improver (ablation): the generator improves the reference; no reference and a broken attempt: it starts over', async () => {
    const responder = createRuleResponder(task);
    const plain = await responder(chat(renderRequest(improve({ improver: false }), set, codeBrief).generator(null)));
    expect(responder.turns[0]!.askedIntent).toBe('improve');
    expect((await sandbox(plain)).ok).toBe(true);
    const unreadable = ref('c8', 'function buildModel(tf) { return tf.sequential(; }', { status: 'failed', failure: { class: 'syntax', message: 'Unexpected token ;' } });
    const fresh = await responder(chat(renderRequest(improve({ improver: false, reference: null, parents: [unreadable] }), set, codeBrief).generator(null)));
    expect(fresh).toMatch(/^I rewrote the network from scratch/);
    expect((await sandbox(fresh)).ok).toBe(true);
  });
});

describe('rule responder, NB201: cells derived from the prompt', () => {
  it('mutate edits the parent cell by the intent; crossover mixes the cells; improver and generator work on cells', async () => {
    const responder = createRuleResponder(task);
    const mutated = await responder(chat(renderRequest(request({ parents: [ref('a', CELL, ok(88.1))], prompt: { id: 'add-pooling', intent: 'add-pooling' } }), set, nb201Brief).generator(null)));
    expect(responder.turns[0]).toMatchObject({ space: 'nb201', role: 'mutate', askedIntent: 'add-pooling', intent: 'add-pooling' });
    expect(mutated).toMatch(/The new cell:\n\n\|.*\|\n$/);
    expect(formatArchString(extractCell(mutated))).not.toBe(CELL);
    expect(extractCell(mutated).filter((op) => op === 4).length).toBeGreaterThan(parseArchString(CELL).filter((op) => op === 4).length);

    const crossed = await responder(chat(renderRequest(request({ operator: 'crossover', parents: [ref('a', CELL, ok(88.1)), ref('b', CELL_B, ok(90.3))], prompt: { id: 'crossover', intent: 'crossover' } }), set, nb201Brief).generator(null)));
    expect(() => extractCell(crossed)).not.toThrow();

    const rendered = renderRequest(request({ strategy: 'feedback-memory', operator: 'improve', prompt: null, parents: [ref('c', CELL, ok(88.1))], reference: ref('b', CELL_B, ok(90.3)), improver: true }), set, nb201Brief);
    const parsed = parseImproverAnswer(await responder(chat(rendered.improver!, undefined, IMPROVER_JSON_SCHEMA)));
    if (!parsed.ok) throw new Error(parsed.message);
    expect(parsed.feedback.suggestion).toMatch(/edge \d->\d/);
    const cell = extractCell(await responder(chat(rendered.generator(parsed.feedback))));
    expect(formatArchString(cell)).not.toBe(CELL_B);
    expect(responder.turns.at(-1)).toMatchObject({ role: 'generator', askedIntent: parsed.feedback.intent });
  });
});

describe('rule responder: broken answers on demand', () => {
  const mutateCode = renderRequest(request({}), set, codeBrief).generator(null);
  const mutateCell = renderRequest(request({ parents: [ref('a', CELL, ok(88.1))] }), set, nb201Brief).generator(null);

  it.each(['no-code', 'syntax-error', 'wrong-shape', 'endless-loop', 'python', 'ramble'] as ResponderMode[])('%s fails in the code pipeline with the expected class', async (mode) => {
    const responder = createRuleResponder(task);
    responder.next(mode);
    const result = await sandbox(await responder(chat(mutateCode)), mode === 'endless-loop' ? 1000 : undefined);
    const expected = responder.turns[0]!.expectedClasses!;
    expect(result.ok ? 'ok' : result.failure.class, result.ok ? '' : result.failure.message).toBeOneOf([...expected]);
  });

  it('modes play one per request, in order, then answers are cooperative again; ramble is long and has no block', async () => {
    const responder = createRuleResponder(task);
    responder.next('python', 'ramble');
    const answers = [];
    for (let i = 0; i < 3; i++) answers.push(await responder(chat(mutateCode)));
    expect(responder.turns.map((t) => t.mode)).toEqual(['python', 'ramble', 'cooperative']);
    expect(answers[0]).toMatch(/```python\nimport torch/);
    expect(answers[1]!.split(' ').length).toBeGreaterThan(2500);
    expect(answers[1]).not.toContain('```');
    expect((await sandbox(answers[2]!)).ok).toBe(true);
  });

  it('hostile answers come from the sandbox fixtures, in turn, and end in their classes', async () => {
    const responder = createRuleResponder(task);
    responder.next(...HOSTILE_ANSWERS.map((): ResponderMode => 'hostile'));
    for (const hostile of HOSTILE_ANSWERS) {
      const answer = await responder(chat(mutateCode));
      expect(answer).toBe(hostile.answer);
      const result = await sandbox(answer, hostile.kind === 'stuck' ? 1000 : undefined);
      expect(result.ok ? 'ok' : result.failure.class, hostile.name).toBeOneOf([...hostile.classes]);
      expect(responder.turns.at(-1)!.expectedClasses).toEqual(hostile.classes);
    }
  }, 180_000);

  it('bad-json: the improver\'s answer cannot be parsed, with a message', async () => {
    const responder = createRuleResponder(task);
    responder.next('bad-json');
    const improver = renderRequest(request({ operator: 'improve', prompt: null, improver: true }), set, codeBrief).improver!;
    const parsed = parseImproverAnswer(await responder(chat(improver, undefined, 'json')));
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.message).toMatch(/expected \{"problem"/);
  });

  it.each(['no-code', 'syntax-error', 'wrong-shape', 'endless-loop', 'hostile', 'python', 'ramble', 'bad-json'] as ResponderMode[])('NB201 %s has no valid cell', async (mode) => {
    const responder = createRuleResponder(task);
    responder.next(mode);
    const answer = await responder(chat(mutateCell));
    expect(() => extractCell(answer)).toThrow();
    expect(responder.turns[0]!.expectedClasses).toEqual(['invalid-artifact']);
  });

  it('refuses a conversation renderRequest did not write', async () => {
    await expect(createRuleResponder(task)(chat([{ role: 'user', content: 'Write me a poem.' }]))).rejects.toThrow(/not a conversation rendered by renderRequest/);
  });
});

describe('rule responder behind the Ollama double', () => {
  it('answers /api/chat (improver with format) and /v1/chat/completions (generator) over HTTP', async () => {
    const responder = createRuleResponder(task);
    const double = await startOllamaDouble({ respond: responder });
    try {
      const rendered = renderRequest(request({ strategy: 'feedback-memory', operator: 'improve', prompt: null, reference: ref('r', RESIDUAL, ok(0.9)), improver: true }), set, codeBrief);
      const res = await fetch(`${double.url}/api/chat`, {
        method: 'POST',
        body: JSON.stringify({ model: 'qwen2.5-coder:7b', messages: rendered.improver, stream: false, format: IMPROVER_JSON_SCHEMA, options: { seed: 9, temperature: 0.4 } }),
      });
      const body = (await res.json()) as { message: { content: string } };
      const parsed = parseImproverAnswer(body.message.content);
      if (!parsed.ok) throw new Error(parsed.message);
      expect(double.requests[0]!.format).toEqual(IMPROVER_JSON_SCHEMA);
      expect(responder.turns[0]).toMatchObject({ role: 'improver', seed: 9, temperature: 0.4 });

      const v1 = await fetch(`${double.url}/v1/chat/completions`, {
        method: 'POST',
        body: JSON.stringify({ model: 'qwen2.5-coder:7b', messages: rendered.generator(parsed.feedback), seed: 10, temperature: 0.6 }),
      });
      const completion = (await v1.json()) as { choices: { message: { content: string } }[] };
      expect(responder.turns[1]).toMatchObject({ role: 'generator', seed: 10, temperature: 0.6, askedIntent: parsed.feedback.intent });
      expect((await sandbox(completion.choices[0]!.message.content)).ok).toBe(true);
    } finally {
      await double.close();
    }
  });
});
