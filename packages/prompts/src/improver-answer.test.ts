import { describe, expect, it } from 'vitest';
import { MutationIntent } from '@nasfleet/contracts';
import { IMPROVER_JSON_SCHEMA, ImproverAnswer, normaliseIntent, parseImproverAnswer } from './improver-answer.ts';

const P = 'The network has no pooling, so the dense layer sees a 28x28x32 map and overfits.';
const S = 'Add a 2x2 max pooling after the second convolution.';

function accepted(answer: string) {
  const r = parseImproverAnswer(answer);
  if (!r.ok) throw new Error(`rejected: ${r.message}\n${answer}`);
  return r.feedback;
}
function rejected(answer: string): string {
  const r = parseImproverAnswer(answer);
  if (r.ok) throw new Error(`accepted: ${JSON.stringify(r.feedback)}`);
  return r.message;
}

describe('parseImproverAnswer: what 7B models really send', () => {
  it('bare JSON, with the intent', () => {
    expect(accepted(JSON.stringify({ problem: P, suggestion: S, intent: 'add-pooling' }))).toEqual({ problem: P, suggestion: S, intent: 'add-pooling' });
  });

  it('JSON in a ```json fence, after prose, with trailing commas, pretty-printed', () => {
    const body = `{\n  "problem": "${P}",\n  "suggestion": "${S}",\n  "intent": "add-pooling",\n}`;
    expect(accepted(`Sure! Here is my analysis:\n\n\`\`\`json\n${body}\n\`\`\`\n\nLet me know if you need more.`)).toEqual({ problem: P, suggestion: S, intent: 'add-pooling' });
    expect(accepted(`After looking at the code, my feedback is: ${body} I hope this helps.`)).toMatchObject({ suggestion: S });
    expect(accepted(`\`\`\`\n${body}\n\`\`\``)).toMatchObject({ problem: P });
  });

  it('keys in other case or as synonyms, the fields wrapped in one object, lists for strings', () => {
    expect(accepted(`{"Problem": "${P}", "Suggestion": "${S}", "Intent": "Add Pooling"}`)).toEqual({ problem: P, suggestion: S, intent: 'add-pooling' });
    expect(accepted(`{"issue": "${P}", "fix": "${S}"}`)).toEqual({ problem: P, suggestion: S });
    expect(accepted(`{"feedback": {"problem": "${P}", "suggestion": "${S}", "intent": "add_pooling"}}`)).toEqual({ problem: P, suggestion: S, intent: 'add-pooling' });
    expect(accepted(`{"problem": ["too deep", "no pooling"], "suggestions": ["add pooling", "drop a layer"]}`)).toEqual({ problem: 'too deep\nno pooling', suggestion: 'add pooling\ndrop a layer' });
  });

  it('intent spelt loosely; an unknown intent is dropped, not fatal', () => {
    expect(accepted(`{"problem": "p", "suggestion": "s", "intent": "addResidual"}`).intent).toBe('add-residual');
    expect(accepted(`{"problem": "p", "suggestion": "s", "intent": "Add batch normalization"}`).intent).toBe('add-normalisation');
    expect(accepted(`{"problem": "p", "suggestion": "s", "intent": "make it fly"}`)).toEqual({ problem: 'p', suggestion: 's' });
    expect(accepted(`{"problem": "p", "suggestion": "s", "intent": null}`)).toEqual({ problem: 'p', suggestion: 's' });
    for (const intent of MutationIntent.options) expect(normaliseIntent(intent.toUpperCase().replaceAll('-', '_'))).toBe(intent);
  });

  it('single quotes, smart quotes, a cut-off object (token cap), braces inside strings', () => {
    expect(accepted(`{'problem': 'too small', 'suggestion': 'widen the convolutions', 'intent': 'widen'}`)).toEqual({ problem: 'too small', suggestion: 'widen the convolutions', intent: 'widen' });
    expect(accepted('{\u201cproblem\u201d: \u201ctoo small\u201d, \u201csuggestion\u201d: \u201cwiden\u201d}')).toEqual({ problem: 'too small', suggestion: 'widen' });
    expect(accepted(`{"problem": "${P}", "suggestion": "Add a pooling layer after the sec`)).toEqual({ problem: P, suggestion: 'Add a pooling layer after the sec' });
    expect(accepted(`{"problem": "uses {a: 1} in code", "suggestion": "write } and { correctly"}`)).toEqual({ problem: 'uses {a: 1} in code', suggestion: 'write } and { correctly' });
  });

  it('the first object with both fields wins over an example restated before it', () => {
    expect(accepted(`The format is {"problem": "...", "x": 1}. My answer: {"problem": "${P}", "suggestion": "${S}"}`)).toMatchObject({ problem: P, suggestion: S });
  });

  it('cuts fields over 2000 characters instead of rejecting the answer', () => {
    const long = 'word '.repeat(1000);
    const f = accepted(JSON.stringify({ problem: long, suggestion: S }));
    expect(f.problem.length).toBe(2000);
    expect(f.problem.endsWith('…')).toBe(true);
  });
});

describe('parseImproverAnswer: garbage gets a message, never a throw', () => {
  it.each([
    ['', /empty/],
    ['   \n ', /empty/],
    ['I think you should add a convolution layer to make it better.', /no JSON object found.*expected \{"problem"/],
    ['```javascript\nfunction buildModel(tf) { return tf.sequential(); }\n```', /no JSON object|lacks/],
    ['[1, 2, 3]', /no JSON object/],
    ['{"problem": "", "suggestion": "   "}', /lacks a non-empty problem and suggestion/],
    ['{"problem": "it is slow"}', /lacks a non-empty suggestion \(keys found: problem\)/],
    ['{"answer": 42}', /lacks a non-empty problem and suggestion \(keys found: answer\)/],
    ['{{{{{{{{{{', /no JSON object|lacks/],
  ])('%j', (answer, message) => {
    expect(rejected(answer)).toMatch(message);
  });

  it('a megabyte of braces is answered quickly', () => {
    expect(rejected('{'.repeat(1 << 20))).toMatch(/no JSON object|lacks/);
    expect(rejected(`${'{"a": '.repeat(5000)}1`)).toMatch(/no JSON object|lacks/);
  });
});

describe('IMPROVER_JSON_SCHEMA', () => {
  it('is ImproverAnswer as JSON schema: problem and suggestion required, intent one of the intents', () => {
    expect(IMPROVER_JSON_SCHEMA).toMatchObject({ type: 'object', required: ['problem', 'suggestion'], additionalProperties: false });
    const props = IMPROVER_JSON_SCHEMA.properties as Record<string, Record<string, unknown>>;
    expect(props.intent!.enum).toEqual(MutationIntent.options);
    expect(props.problem!.type).toBe('string');
  });

  it('carries no maxLength (llama.cpp rejects repetitions of 2000 and more), while ImproverAnswer still bounds the fields', () => {
    expect(JSON.stringify(IMPROVER_JSON_SCHEMA)).not.toMatch(/maxLength|\$schema/);
    expect(ImproverAnswer.safeParse({ problem: 'x'.repeat(2001), suggestion: 's' }).success).toBe(false);
  });
});
