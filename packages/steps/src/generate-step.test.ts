import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { GenerateResult } from '@nasfleet/contracts';
import type { CandidateRequest } from '@nasfleet/contracts';
import { createOllamaProvider, LlmModelNotFoundError, LlmUnavailableError } from '@nasfleet/llm';
import { countTokens, startOllamaDouble, streamPieces } from '@nasfleet/ollama-double';
import type { OllamaDouble, RecordedRequest } from '@nasfleet/ollama-double';
import { IMPROVER_JSON_SCHEMA, loadPromptSet } from '@nasfleet/prompts';
import { createGenerateStep } from './generate-step.ts';
import type { GeneratorSettings } from './generate-step.ts';
import { createToySpace } from './testing/toy-space/toy-space.ts';

/** The generate step against the real Ollama double, with the real prompt set and the toy space's brief. */

const GEN = 'gen-coder:7b';
const IMP = 'improver:3b';
const SUGGESTION = 'raise x by four, to 7';
const IMPROVER_JSON = JSON.stringify({ problem: 'x=3 is far below the target', suggestion: SUGGESTION, intent: 'add-layer' });
const RAMBLE = Array.from({ length: 80 }, (_, i) => `ramble${i}`).join(' ');

/** What the double answers: the improver JSON for requests with a format, the generator answer otherwise (changeable per test). */
const answers = { improver: IMPROVER_JSON, generator: 'I would raise it: x = 07' };
const respond = (r: RecordedRequest): string => (r.format !== null ? answers.improver : answers.generator);

const prompts = loadPromptSet();
const space = createToySpace();
let double: OllamaDouble;

const settings = (over: Partial<Extract<GeneratorSettings, { kind: 'llm' }>> = {}, url = double.url): GeneratorSettings => ({
  kind: 'llm', provider: createOllamaProvider({ host: url, retry: { baseDelayMs: 5 } }), prompts, generatorModel: GEN, ...over,
});
const request = (over: Partial<CandidateRequest> = {}): CandidateRequest => ({
  id: 'c000007', index: 7, generation: 0, strategy: 'llmatic', operator: 'mutate',
  parents: [{ id: 'c000002', artifact: 'x=3', outcome: { status: 'ok', fitness: 84 } }],
  prompt: { id: 'add-layer', intent: 'add-layer' }, temperature: 0.8, memory: null, reference: null, improver: false, seed: 1234, ...over,
});
const improve = (over: Partial<CandidateRequest> = {}) =>
  request({ strategy: 'feedback-memory', operator: 'improve', prompt: null, improver: true, reference: { id: 'c000001', artifact: 'x=5', outcome: { status: 'ok', fitness: 96 } }, ...over });
const userText = (r: RecordedRequest) => r.messages.filter((m) => m.role === 'user').map((m) => m.content).join('\n');

beforeAll(async () => {
  double = await startOllamaDouble({ models: [GEN, IMP], respond });
});
afterAll(async () => {
  await double.close();
});
beforeEach(() => {
  double.requests.splice(0);
  answers.improver = IMPROVER_JSON;
  answers.generator = 'I would raise it: x = 07';
});

describe('createGenerateStep: requests that need no LLM', () => {
  it("'seed' hands back the initial artifact, with no LLM call", async () => {
    const seed = request({ operator: 'seed', prompt: null, parents: [{ id: 'initial', artifact: space.initialArtifact, outcome: null }] });
    expect(await createGenerateStep(space, settings())(seed)).toEqual({ id: 'c000007', answer: 'x=0', feedback: null, calls: [] });
    expect(double.requests).toHaveLength(0);
  });

  it("'sample' draws from the rule operator even with an LLM configured", async () => {
    const sample = request({ strategy: 'random', operator: 'sample', parents: [], prompt: null, seed: 99 });
    const expected = await space.ruleOperator.apply(sample);
    const r = await createGenerateStep(space, settings())(sample);
    expect(r).toEqual({ id: 'c000007', answer: expected.artifact, feedback: null, calls: [] });
    expect(r.answer).toMatch(/^x=\d+$/);
    expect(double.requests).toHaveLength(0);
  });

  it("the rule generator answers 'mutate' and 'improve' itself, with the operator's feedback", async () => {
    const step = createGenerateStep(space, { kind: 'rule' });
    expect((await step(request())).answer).toBe((await space.ruleOperator.apply(request())).artifact);
    const r = await step(improve());
    expect(r.feedback).toEqual({ problem: 'x is 3', suggestion: `try ${r.answer}`, intent: 'improve' });
    expect(r.calls).toEqual([]);
    expect(double.requests).toHaveLength(0);
  });
});

describe('createGenerateStep with an LLM (Ollama double)', () => {
  it("'mutate': one chat with the request's temperature and seed and the generator model; the answer is returned raw", async () => {
    const r = await createGenerateStep(space, settings())(request());
    expect(double.requests).toHaveLength(1);
    const [sent] = double.requests;
    expect(sent).toMatchObject({ route: '/api/chat', model: GEN, format: null, stream: true, options: { temperature: 0.8, seed: 1234, num_predict: 2048 } });
    expect(sent!.messages.map((m) => m.role)).toEqual(['system', 'user']);
    expect(sent!.messages[0]!.content).toContain(space.brief.task);
    expect(userText(sent!)).toContain('x=3');
    expect(userText(sent!)).toContain(space.brief.answerContract);
    expect(userText(sent!)).toContain(prompts.mutations.find((p) => p.id === 'add-layer')!.text);
    expect(r).toEqual({
      id: 'c000007', answer: 'I would raise it: x = 07', feedback: null,
      calls: [{ role: 'generator', model: GEN, promptTokens: expect.any(Number), completionTokens: countTokens('I would raise it: x = 07'), durationMs: expect.any(Number), generationMs: expect.any(Number), attempts: 1, stoppedEarly: false, truncated: false }],
    });
    expect(r.calls[0]!.promptTokens).toBeGreaterThan(0);
    expect(GenerateResult.parse(r)).toEqual(r);
  });

  it("'crossover': one chat showing every parent", async () => {
    const parents = ['x=2', 'x=11', 'x=19'].map((artifact, i) => ({ id: `c00000${i}`, artifact, outcome: { status: 'ok' as const, fitness: 50 + i } }));
    await createGenerateStep(space, settings())(request({ operator: 'crossover', parents, prompt: { id: 'crossover', intent: 'crossover' } }));
    expect(double.requests).toHaveLength(1);
    for (const p of parents) expect(userText(double.requests[0]!)).toContain(p.artifact);
    expect(userText(double.requests[0]!)).toContain(prompts.crossover.text);
  });

  it("'improve' with the improver: the improver (JSON schema format, improver model), then the generator (generator model) with the suggestion", async () => {
    const r = await createGenerateStep(space, settings({ improverModel: IMP }))(improve());
    expect(double.requests.map((q) => q.model)).toEqual([IMP, GEN]);
    const [improver, generator] = double.requests;
    expect(improver!.format).toEqual(IMPROVER_JSON_SCHEMA);
    expect(typeof improver!.format).toBe('object');
    expect(improver!.options).toMatchObject({ temperature: 0.8, seed: 1234 });
    expect(userText(improver!)).toContain('x=3');
    expect(userText(improver!)).not.toContain(SUGGESTION);
    expect(generator!.format).toBeNull();
    expect(generator!.options).toMatchObject({ temperature: 0.8, seed: 1234 });
    expect(userText(generator!)).toContain(SUGGESTION);
    expect(userText(generator!)).toContain('x=5'); // the reference
    expect(r.feedback).toEqual({ problem: 'x=3 is far below the target', suggestion: SUGGESTION, intent: 'add-layer' });
    expect(r.answer).toBe('I would raise it: x = 07');
    expect(r.calls.map((c) => [c.role, c.model])).toEqual([['improver', IMP], ['generator', GEN]]);
    // The improver's stream stops at the end of its JSON object.
    expect(r.calls[0]!.stoppedEarly).toBe(true);
  });

  it('without an improver model both roles use the generator model; without the improver only the generator runs', async () => {
    await createGenerateStep(space, settings())(improve());
    expect(double.requests.map((q) => [q.model, q.format === null])).toEqual([[GEN, false], [GEN, true]]);
    double.requests.splice(0);
    const r = await createGenerateStep(space, settings({ improverModel: IMP }))(improve({ improver: false }));
    expect(double.requests.map((q) => q.model)).toEqual([GEN]);
    expect(r.feedback).toBeNull();
    expect(r.calls.map((c) => c.role)).toEqual(['generator']);
  });

  it("an improver answer that is not JSON becomes the feedback's problem, and the generator still runs without a suggestion", async () => {
    answers.improver = 'I think x should simply be larger.';
    const r = await createGenerateStep(space, settings({ improverModel: IMP }))(improve());
    expect(r.feedback!.problem).toMatch(/^the improver's answer could not be used: no JSON object found in the improver's answer/);
    expect(r.feedback!.suggestion).toBe('');
    expect(double.requests.map((q) => q.model)).toEqual([IMP, GEN]);
    expect(userText(double.requests[1]!)).not.toContain('I think x should simply be larger');
    expect(r.answer).toBe('I would raise it: x = 07');
    expect(r.calls.map((c) => c.role)).toEqual(['improver', 'generator']);
  });

  it('JSON without the fields is unusable too, and said so', async () => {
    answers.improver = '{"thoughts": "none"}';
    const r = await createGenerateStep(space, settings())(improve());
    expect(r.feedback!.problem).toMatch(/^the improver's answer could not be used: the improver's JSON lacks a non-empty problem and suggestion/);
    expect(double.requests).toHaveLength(2);
  });

  it('a model the server does not have is thrown (LlmModelNotFoundError), not turned into a failed candidate', async () => {
    const missing = createGenerateStep(space, settings({ generatorModel: 'not-pulled:1b' }))(request());
    await expect(missing).rejects.toBeInstanceOf(LlmModelNotFoundError);
    await expect(missing).rejects.toThrow(/"not-pulled:1b" is not installed on the Ollama server at .*choose one of: gen-coder:7b, improver:3b/);
    double.requests.splice(0);
    // A missing improver model stops the step before the generator is asked.
    await expect(createGenerateStep(space, settings({ improverModel: 'gone:1b' }))(improve())).rejects.toBeInstanceOf(LlmModelNotFoundError);
    expect(double.requests.map((q) => q.model)).toEqual(['gone:1b']);
  });

  it('a server that stays busy is thrown (LlmUnavailableError) after the retries', async () => {
    double.fail(...Array.from({ length: 5 }, () => ({ kind: 'busy' as const })));
    await expect(createGenerateStep(space, settings())(request())).rejects.toBeInstanceOf(LlmUnavailableError);
    expect(double.requests).toHaveLength(5);
  });
});

describe('createGenerateStep: what the calls record', () => {
  it('attempts: a busy server answered on the second request', async () => {
    double.fail({ kind: 'busy' });
    const r = await createGenerateStep(space, settings())(request());
    expect(r.calls).toMatchObject([{ role: 'generator', model: GEN, attempts: 2 }]);
    expect(r.answer).toBe('I would raise it: x = 07');
    expect(double.requests).toHaveLength(2);
  });

  it('stoppedEarly: the generator stream ends once the code block is complete, without the ramble', async () => {
    const slow = await startOllamaDouble({ models: [GEN], respond, pieceDelayMs: 10 });
    try {
      const block = 'Here:\n```text\nx=7\n```\n';
      answers.generator = `${block}\nThis works because ${RAMBLE}`;
      const r = await createGenerateStep(space, settings({}, slow.url))(request());
      expect(r.answer!.trimEnd()).toBe(block.trimEnd());
      expect(r.answer).not.toContain('ramble');
      expect(r.calls).toMatchObject([{ role: 'generator', stoppedEarly: true, truncated: false, promptTokens: null }]);
      expect(r.calls[0]!.completionTokens).toBe(streamPieces(r.answer!).length);
      const sent = slow.requests[0]!;
      await vi.waitFor(() => expect(sent.clientClosedEarly).toBe(true), { timeout: 10_000 });
      expect(sent.piecesSent).toBeLessThan(streamPieces(answers.generator).length);
    } finally {
      await slow.close();
    }
  });

  it('truncated: the token cap is sent as num_predict and a cut answer is marked', async () => {
    answers.generator = `Let me think about it: ${RAMBLE}`;
    const r = await createGenerateStep(space, settings({ maxTokens: 5 }))(request());
    expect(double.requests[0]!.options.num_predict).toBe(5);
    expect(r.calls).toMatchObject([{ role: 'generator', truncated: true, stoppedEarly: false }]);
    expect(streamPieces(r.answer!)).toHaveLength(5);
  });
});
