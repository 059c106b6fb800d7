import type { CandidateRef, MemoryEntry, Outcome } from '@nasfleet/contracts';
import { FailureClass, MutationIntent } from '@nasfleet/contracts';
import type { PromptFile, PromptSet } from '@nasfleet/prompts';

/** The role a rendered conversation was written for, as read back from it. */
export type ReadRole = 'mutate' | 'crossover' | 'improver' | 'generator';

/** What a rendered prompt says, read back the way a cooperative LLM would read it. */
export interface ReadPrompt {
  space: 'code' | 'nb201';
  role: ReadRole;
  /** mutate: the parent; crossover: every network; improver/generator: the current attempt. */
  parents: CandidateRef[];
  reference: CandidateRef | null;
  memory: MemoryEntry[];
  /** The prompt file whose text the instruction section holds (null for the improver, or when none matches). */
  prompt: PromptFile | null;
  /** generator: the intent the improver's feedback named, when it named one. */
  feedbackIntent: MutationIntent | null;
}

interface Section {
  heading: string;
  body: string;
}

/** The user message's `## ` sections, in order. */
function sections(text: string): Section[] {
  return text
    .split(/^## /m)
    .slice(1)
    .map((chunk) => {
      const newline = chunk.indexOf('\n');
      return newline < 0 ? { heading: chunk.trim(), body: '' } : { heading: chunk.slice(0, newline).trim(), body: chunk.slice(newline + 1) };
    });
}

/** The body of the first fenced block in `text` (any fence length: the renderer lengthens fences around fenced artifacts). */
export function firstBlock(text: string): string | null {
  const open = /^(`{3,})[^`\n]*\n/m.exec(text);
  if (!open) return null;
  const start = open.index + open[0].length;
  const close = new RegExp(`^${open[1]}[^\\S\\n]*$`, 'm').exec(text.slice(start));
  return close ? text.slice(start, start + close.index).replace(/\n$/, '') : null;
}

/** An outcome as the renderer words it: 'accuracy 81.2%', 'failed (shape)[: message]', else null. */
function parseOutcome(text: string, message = ''): Outcome | null {
  const acc = /^accuracy (-?[\d.]+)%/.exec(text.trim());
  if (acc) return { status: 'ok', fitness: Number(acc[1]) };
  const fail = /^failed \(([a-z-]+)\)(?::\s*([\s\S]*))?/.exec(text.trim());
  if (!fail) return null;
  const cls = FailureClass.safeParse(fail[1]);
  return { status: 'failed', failure: { class: cls.success ? cls.data : 'sandbox-runtime', message: (fail[2] ?? message).trim() || 'no message' } };
}

function candidate(id: string, section: Section, failureMessage = ''): CandidateRef | null {
  const artifact = firstBlock(section.body);
  if (artifact === null) return null;
  const result = /\(result: (.*)\)\s*$/.exec(section.heading)?.[1] ?? '';
  return { id, artifact, outcome: parseOutcome(result, failureMessage) };
}

const MEMORY_ITEM = /^\d+\. Problem: ([\s\S]*?)\n\s+Change: ([\s\S]*?)(?: \(intent: ([a-z-]+)\))?\n\s+Result: (.*?)(?: \(before: (-?[\d.]+)%\))?$/gm;

/** The memory triples of a memory section; accuracies stay in percent (only their order matters to the rule operators). */
function parseMemory(body: string): MemoryEntry[] {
  const out: MemoryEntry[] = [];
  for (const m of body.matchAll(MEMORY_ITEM)) {
    const outcome = parseOutcome(m[4]!);
    if (!outcome) continue;
    out.push({ candidateId: `m${out.length + 1}`, problem: m[1]!, suggestion: m[2]!, ...(m[3] ? { intent: m[3] } : {}), outcome, baseline: m[5] ? Number(m[5]) : null });
  }
  return out;
}

/**
 * Reads a conversation rendered by `renderRequest` back: the space from the system framing, the
 * role from the headings (and `format`: only the improver is asked for JSON), the networks from the
 * fenced blocks under their headings, the memory from its lines, and the prompt file by finding a
 * file's text in the instruction section. Throws when the conversation is not one of ours.
 */
export function readPrompt(messages: readonly { role: string; content: string }[], set: PromptSet, jsonFormat: boolean): ReadPrompt {
  const system = messages.find((m) => m.role === 'system')?.content ?? '';
  const user = [...messages].reverse().find((m) => m.role === 'user')?.content ?? '';
  const space = /NAS-Bench-201/.test(system) ? 'nb201' : 'code';
  const all = sections(user);
  const find = (prefix: string) => all.find((s) => s.heading.startsWith(prefix)) ?? null;
  const failure = find('Why the current attempt failed')?.body.split('\n').slice(1).join('\n').replace(/Your suggestion must fix this error first\.\s*$/, '').trim() ?? '';

  let role: ReadRole;
  let parents: CandidateRef[];
  const current = find('Current attempt');
  if (current) {
    role = jsonFormat || find('Kinds of change') !== null ? 'improver' : 'generator';
    parents = [candidate('current', current, failure)].filter((c): c is CandidateRef => c !== null);
  } else if (find('Network 1')) {
    role = 'crossover';
    parents = all.filter((s) => /^Network \d+/.test(s.heading)).map((s, i) => candidate(`p${i + 1}`, s)).filter((c): c is CandidateRef => c !== null);
  } else if (find('Parent network')) {
    role = 'mutate';
    const parentFailure = /error\); your change must also fix this:\n([\s\S]*)$/.exec(find('Parent network')!.body)?.[1]?.trim() ?? '';
    parents = [candidate('parent', find('Parent network')!, parentFailure)].filter((c): c is CandidateRef => c !== null);
  } else {
    throw new Error(`not a conversation rendered by renderRequest (headings: ${all.map((s) => s.heading).join(' | ') || 'none'})`);
  }
  if (parents.length === 0) throw new Error(`the ${role} prompt holds no fenced network under its headings`);

  const referenceSection = find('Reference');
  const memorySection = find('Earlier attempts') ?? find('Feedback memory');
  const instruction = find('Instruction')?.body ?? '';
  const prompt = role === 'improver' ? null : [...set.mutations, set.crossover].find((p) => instruction.includes(p.text)) ?? null;
  const named = /\(intent: ([a-z-]+)\)\s*$/m.exec(find("The improver's feedback")?.body ?? '')?.[1];
  const feedbackIntent = MutationIntent.safeParse(named);
  return {
    space,
    role,
    parents,
    reference: referenceSection ? candidate('reference', referenceSection) : null,
    memory: memorySection ? parseMemory(memorySection.body) : [],
    prompt,
    feedbackIntent: feedbackIntent.success ? feedbackIntent.data : null,
  };
}
