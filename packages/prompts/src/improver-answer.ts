import { z } from 'zod';
import { MutationIntent } from '@nasfleet/contracts';
import type { Feedback } from '@nasfleet/contracts';
import { jsonObjectsIn } from './json-in-text.ts';

/** Longest problem or suggestion kept (the memory's MemoryEntry bound). */
export const MAX_FEEDBACK_CHARS = 2000;

const text = z.string().trim().min(1).max(MAX_FEEDBACK_CHARS);

/** What the improver answers: a diagnosis, one concrete change, and the intent that change amounts to. */
export const ImproverAnswer = z.object({
  problem: text.describe('what limits or breaks the current attempt'),
  suggestion: text.describe('one concrete change to make next'),
  intent: MutationIntent.optional().describe('the kind of change, one of the mutation intents'),
});
export type ImproverAnswer = z.infer<typeof ImproverAnswer>;

function withoutMaxLength(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withoutMaxLength);
  if (typeof node !== 'object' || node === null) return node;
  return Object.fromEntries(Object.entries(node).filter(([k]) => k !== 'maxLength' && k !== '$schema').map(([k, v]) => [k, withoutMaxLength(v)]));
}

/**
 * The improver's answer as a JSON schema, for Ollama's `format` (or an OpenAI json_schema). It is
 * `z.toJSONSchema(ImproverAnswer)` without `maxLength`: llama.cpp (Ollama's engine) turns a string's
 * maxLength into a repetition that its grammar parser rejects from 2000 up, which would fail every
 * improver request; the bound is enforced by `parseImproverAnswer` (it truncates) instead.
 */
export const IMPROVER_JSON_SCHEMA: Record<string, unknown> = withoutMaxLength(z.toJSONSchema(ImproverAnswer)) as Record<string, unknown>;

const ALIASES: Record<'problem' | 'suggestion' | 'intent', readonly string[]> = {
  problem: ['problem', 'problems', 'issue', 'issues', 'diagnosis', 'analysis', 'weakness'],
  suggestion: ['suggestion', 'suggestions', 'fix', 'change', 'changes', 'recommendation', 'improvement', 'solution'],
  intent: ['intent', 'intention', 'mutation', 'action', 'operation'],
};

const INTENT_ALIASES: Record<string, MutationIntent> = {
  'add-normalization': 'add-normalisation', 'add-batch-normalization': 'add-normalisation', 'add-batch-normalisation': 'add-normalisation',
  'add-batchnorm': 'add-normalisation', 'add-batch-norm': 'add-normalisation', 'add-convolution': 'add-conv', 'add-conv-layer': 'add-conv',
  'add-convolutional-layer': 'add-conv', 'add-dense-layer': 'add-dense', 'add-pool': 'add-pooling', 'add-pooling-layer': 'add-pooling',
  'add-skip-connection': 'add-residual', 'add-residual-connection': 'add-residual', 'add-skip': 'add-residual',
  'add-residual-connections': 'add-residuals', 'add-skip-connections': 'add-residuals', grow: 'grow-drastically',
  shrink: 'shrink-drastically', 'remove-a-layer': 'remove-layer', 'add-a-layer': 'add-layer', 'fix': 'improve',
};

/** A model's spelling of an intent as a MutationIntent ('Add_Conv', 'addConv', 'add normalization'), or undefined. */
export function normaliseIntent(value: unknown): MutationIntent | undefined {
  if (typeof value !== 'string') return undefined;
  const key = value.trim().replace(/([a-z])([A-Z])/g, '$1-$2').toLowerCase().replace(/[\s_]+/g, '-').replace(/[^a-z-]/g, '');
  const direct = MutationIntent.safeParse(key);
  return direct.success ? direct.data : INTENT_ALIASES[key];
}

/** A field's value as text: strings as they are, lists joined, numbers printed; objects and null as nothing. */
function asText(value: unknown): string {
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return value.map(asText).filter((s) => s !== '').join('\n');
  return '';
}

function field(obj: Record<string, unknown>, name: keyof typeof ALIASES): unknown {
  const lower = new Map(Object.entries(obj).map(([k, v]) => [k.trim().toLowerCase(), v]));
  for (const alias of ALIASES[name]) if (lower.has(alias)) return lower.get(alias);
  return undefined;
}

/** The object holding the fields: the object itself, or the one object it wraps ({"feedback": {...}}). */
function unwrap(obj: Record<string, unknown>): Record<string, unknown> {
  if (field(obj, 'problem') !== undefined || field(obj, 'suggestion') !== undefined) return obj;
  const inner = Object.values(obj).filter((v): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v));
  return inner.length === 1 ? unwrap(inner[0]!) : obj;
}

const clip = (s: string) => (s.length > MAX_FEEDBACK_CHARS ? `${s.slice(0, MAX_FEEDBACK_CHARS - 1)}…` : s);

/**
 * Reads the improver's answer defensively, as small models send it: bare JSON, JSON in a ```json
 * fence, JSON after prose, trailing commas, smart or single quotes, a cut-off object, keys in other
 * case or synonyms (issue, fix), the fields wrapped in one object, lists for strings, the intent
 * spelt loosely ('Add_Conv', 'add normalization'; an unknown intent is dropped, not fatal). Long
 * fields are cut to 2000 characters. Never throws: a clear message when no problem and suggestion
 * can be found.
 */
export function parseImproverAnswer(answer: string): { ok: true; feedback: Feedback } | { ok: false; message: string } {
  if (answer.trim() === '') return { ok: false, message: 'the improver\'s answer is empty; expected one JSON object {"problem": ..., "suggestion": ..., "intent": ...}' };
  const objects = jsonObjectsIn(answer);
  if (objects.length === 0) {
    return { ok: false, message: `no JSON object found in the improver's answer ('${answer.trim().slice(0, 120)}'); expected {"problem": ..., "suggestion": ..., "intent": ...}` };
  }
  let firstProblem = '';
  for (const raw of objects) {
    const obj = unwrap(raw);
    const candidate = { problem: clip(asText(field(obj, 'problem'))), suggestion: clip(asText(field(obj, 'suggestion'))), intent: normaliseIntent(field(obj, 'intent')) };
    const parsed = ImproverAnswer.safeParse(candidate);
    if (parsed.success) {
      const { problem, suggestion, intent } = parsed.data;
      return { ok: true, feedback: intent === undefined ? { problem, suggestion } : { problem, suggestion, intent } };
    }
    if (firstProblem === '') {
      const missing = (['problem', 'suggestion'] as const).filter((k) => candidate[k] === '');
      firstProblem = `the improver's JSON lacks a non-empty ${missing.join(' and ')} (keys found: ${Object.keys(obj).join(', ') || 'none'})`;
    }
  }
  return { ok: false, message: `${firstProblem}; expected {"problem": ..., "suggestion": ..., "intent": ...}` };
}
