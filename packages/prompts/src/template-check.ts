import Mustache from 'mustache';
import { PromptFileError } from './load-prompts.ts';

/** The roles a template is written for: an LLMatic operator, or one of the feedback-memory roles. */
export const ROLES = ['mutate', 'crossover', 'improver', 'generator'] as const;
export type RoleName = (typeof ROLES)[number];

/** The search spaces with a framing of their own. */
export const SPACES = ['code', 'nb201'] as const;
export type SpaceName = (typeof SPACES)[number];

/** Fields of a candidate as templates see them (`parent`, `current`, `reference`, each of `parents`). */
const CANDIDATE_FIELDS = ['id', 'number', 'code', 'block', 'result', 'accuracy', 'failed', 'failure', 'class', 'message'];
/** Fields of one feedback-memory triple (each of `memory`). */
const MEMORY_FIELDS = ['number', 'candidateId', 'problem', 'suggestion', 'intent', 'outcome', 'baseline', 'failed'];
/** Fields of one choosable intent (each of `intents`). */
const INTENT_FIELDS = ['intent', 'id', 'text'];

/** Every name a template may use, top level first; see prompts/README.md for what each holds. */
export const PLACEHOLDERS: readonly string[] = [
  'space', 'isCode', 'isNb201', 'role', 'task', 'answerContract', 'instruction', 'intent', 'promptId',
  'parent', 'parents', 'parentCount', 'current', 'reference', 'hasReference', 'memory', 'hasMemory',
  'feedback', 'hasFeedback', 'intents',
];
const KNOWN = new Set([...PLACEHOLDERS, ...CANDIDATE_FIELDS, ...MEMORY_FIELDS, ...INTENT_FIELDS, 'problem', 'suggestion']);

/**
 * What each template must use (alternatives split by '|'), so that an edit cannot silently drop the
 * parent's code, the memory or the answer contract from every prompt a search sends.
 */
const REQUIRED: Record<RoleName | SpaceName, readonly string[]> = {
  mutate: ['parent.block|parent.code', 'memory', 'outcome', 'instruction', 'answerContract'],
  crossover: ['parents', 'block|code', 'memory', 'outcome', 'instruction', 'answerContract'],
  improver: ['current.block|current.code', 'current.failure.message', 'reference.block|reference.code', 'memory', 'outcome', 'intents'],
  generator: ['current.block|current.code', 'current.failure.message', 'reference.block|reference.code', 'memory', 'outcome', 'feedback.suggestion', 'instruction', 'answerContract'],
  code: ['task'],
  nb201: ['task'],
};

type Span = ReturnType<typeof Mustache.parse>[number];

function collectNames(spans: readonly Span[], into: Set<string>, file: string): void {
  for (const span of spans) {
    const [type, value] = span;
    if (type === '>') throw new PromptFileError(file, `partials ({{> ${value}}}) are not supported: write the text into the template`);
    if (type === 'name' || type === '&' || type === '#' || type === '^') {
      if (value !== '.') into.add(value);
      const nested = span[4];
      if (Array.isArray(nested)) collectNames(nested as Span[], into, file);
    }
  }
}

/**
 * Parses a template and checks its placeholders: Mustache syntax errors, unknown names (typos would
 * render as nothing), partials, and the names `kind` requires. Throws `PromptFileError` naming the file.
 */
export function checkTemplate(file: string, text: string, kind: RoleName | SpaceName): void {
  let spans: Span[];
  try {
    spans = Mustache.parse(text);
  } catch (error) {
    throw new PromptFileError(file, `not a valid Mustache template: ${(error as Error).message}`);
  }
  const names = new Set<string>();
  collectNames(spans, names, file);
  const unknown = [...names].filter((n) => n.split('.').some((part) => !KNOWN.has(part)));
  if (unknown.length > 0) {
    throw new PromptFileError(file, `unknown placeholder(s) ${unknown.map((n) => `{{${n}}}`).join(', ')}; known: ${PLACEHOLDERS.join(', ')} (see prompts/README.md)`);
  }
  const missing = REQUIRED[kind].filter((need) => !need.split('|').some((n) => names.has(n)));
  if (missing.length > 0) {
    const list = missing.map((need) => need.split('|').map((n) => `{{${n}}}`).join(' or ')).join(', ');
    throw new PromptFileError(file, `the ${kind} template must use ${list} (else the prompt would lack it)`);
  }
}
