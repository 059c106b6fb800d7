import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { CROSSOVER_INTENT, formatZodError, MutationIntent } from '@nasfleet/contracts';
import type { PromptChoice } from '@nasfleet/contracts';

/** The repository's prompts/ folder. */
export const DEFAULT_PROMPTS_DIR = fileURLToPath(new URL('../../../prompts/', import.meta.url));

/** A prompt file's content: its id, intent and instruction text. */
export interface PromptFile extends PromptChoice {
  text: string;
  file: string;
}

export class PromptFileError extends Error {
  constructor(readonly file: string, message: string) {
    super(`${file}: ${message}`);
    this.name = 'PromptFileError';
  }
}

const FrontMatter = z.object({ id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'lower-case letters, digits and dashes'), intent: z.string() }).strict();

/** Parses one prompt file (YAML front matter with id and intent, then the instruction). */
export function parsePromptFile(file: string, content: string): PromptFile {
  const match = /^---\r?\n([\s\S]*?)\r?\n---\r?\n([\s\S]*)$/.exec(content);
  if (!match) throw new PromptFileError(file, 'expected YAML front matter between two "---" lines, then the instruction');
  let meta: unknown;
  try {
    meta = parseYaml(match[1]!);
  } catch (error) {
    throw new PromptFileError(file, `front matter is not valid YAML: ${(error as Error).message}`);
  }
  const parsed = FrontMatter.safeParse(meta);
  if (!parsed.success) {
    throw new PromptFileError(file, formatZodError(parsed.error, { root: 'front matter' }));
  }
  const text = match[2]!.trim();
  if (!text) throw new PromptFileError(file, 'the instruction text is empty');
  return { ...parsed.data, text, file };
}

/**
 * Loads `mutation/*.md` (sorted by file name: that order is the prompt archive's prompt axis) and
 * `crossover.md`. Every mutation intent must be a MutationIntent, ids unique, the crossover intent
 * 'crossover'. Errors name the file and what is wrong.
 */
export function loadPrompts(dir: string = DEFAULT_PROMPTS_DIR): { mutations: PromptFile[]; crossover: PromptFile } {
  const mutationDir = join(dir, 'mutation');
  let names: string[];
  try {
    names = readdirSync(mutationDir).filter((n) => n.endsWith('.md')).sort();
  } catch (error) {
    throw new PromptFileError(mutationDir, `cannot read the mutation prompts: ${(error as Error).message}`);
  }
  if (names.length === 0) throw new PromptFileError(mutationDir, 'no mutation prompts (*.md) found');
  const mutations = names.map((n) => parsePromptFile(join(mutationDir, n), readFileSync(join(mutationDir, n), 'utf8')));
  const seen = new Map<string, string>();
  for (const p of mutations) {
    if (!MutationIntent.safeParse(p.intent).success) {
      throw new PromptFileError(p.file, `unknown intent "${p.intent}"; known: ${MutationIntent.options.join(', ')}`);
    }
    const other = seen.get(p.id);
    if (other) throw new PromptFileError(p.file, `id "${p.id}" is also used by ${other}`);
    seen.set(p.id, p.file);
  }
  const crossoverFile = join(dir, 'crossover.md');
  let content: string;
  try {
    content = readFileSync(crossoverFile, 'utf8');
  } catch (error) {
    throw new PromptFileError(crossoverFile, `cannot read the crossover prompt: ${(error as Error).message}`);
  }
  const crossover = parsePromptFile(crossoverFile, content);
  if (crossover.intent !== CROSSOVER_INTENT) throw new PromptFileError(crossoverFile, `intent must be "${CROSSOVER_INTENT}"`);
  return { mutations, crossover };
}

/** The id and intent only, as the engine takes them. */
export function promptChoices(prompts: readonly PromptFile[]): PromptChoice[] {
  return prompts.map(({ id, intent }) => ({ id, intent }));
}
