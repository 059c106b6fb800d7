import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { DEFAULT_PROMPTS_DIR, loadPrompts, PromptFileError } from './load-prompts.ts';
import type { PromptFile } from './load-prompts.ts';
import { checkTemplate, ROLES, SPACES } from './template-check.ts';
import type { RoleName, SpaceName } from './template-check.ts';

/** Everything the prompts of one search are made of, as loaded from a prompts folder. */
export interface PromptSet {
  /** mutation/*.md, sorted by file name (the prompt archive's prompt axis). */
  mutations: PromptFile[];
  /** crossover.md. */
  crossover: PromptFile;
  /** Mustache templates: one per role (roles/<role>.md), one framing per space (spaces/<space>.md). */
  templates: { roles: Record<RoleName, string>; spaces: Record<SpaceName, string> };
  /** sha256 (hex) over every file of the set, path + content, sorted by path: what a search records. */
  hash: string;
  /** The folder it was loaded from. */
  dir: string;
}

/** One file of a set: its path relative to the set's folder ('/'-separated) and its content. */
export interface PromptSetFile {
  path: string;
  content: string;
}

/**
 * The hash of a prompt set: sha256 over the files sorted by path, each as its path and content with
 * their lengths, so that neither the order files are listed in nor where one ends and the next
 * begins can change it. Paths are relative, so the same prompts hash the same in any checkout.
 */
export function promptSetHash(files: readonly PromptSetFile[]): string {
  const hash = createHash('sha256');
  const sorted = [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  for (const { path, content } of sorted) {
    const bytes = Buffer.from(content, 'utf8');
    hash.update(`${Buffer.byteLength(path)}:${path}\n${bytes.length}:`);
    hash.update(bytes);
    hash.update('\n');
  }
  return hash.digest('hex');
}

function readFile(file: string, what: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new PromptFileError(file, `cannot read ${what}: ${(error as Error).message}`);
  }
}

/** Reads `<dir>/<folder>/<name>.md` for each expected name; any other .md there is an error (a misnamed template would be ignored). */
function readTemplates<N extends string>(dir: string, folder: string, names: readonly N[], files: PromptSetFile[]): Record<N, string> {
  const folderPath = join(dir, folder);
  let present: string[];
  try {
    present = readdirSync(folderPath).filter((n) => n.endsWith('.md'));
  } catch (error) {
    throw new PromptFileError(folderPath, `cannot read the ${folder} templates: ${(error as Error).message}`);
  }
  const expected = new Set(names.map((n) => `${n}.md`));
  const stray = present.filter((n) => !expected.has(n)).sort();
  if (stray.length > 0) throw new PromptFileError(join(folderPath, stray[0]!), `unknown ${folder} template; expected ${[...expected].join(', ')}`);
  const out = {} as Record<N, string>;
  for (const name of names) {
    const file = join(folderPath, `${name}.md`);
    const text = readFile(file, `the ${name} template (${folder}/${name}.md is required)`);
    if (text.trim() === '') throw new PromptFileError(file, 'the template is empty');
    out[name] = text;
    files.push({ path: `${folder}/${name}.md`, content: text });
  }
  return out;
}

/**
 * Loads a whole prompt set: the prompt files (as `loadPrompts`), the role templates and the space
 * framings, each template checked (Mustache syntax, known placeholders, the placeholders its role
 * needs), and their hash. Errors are `PromptFileError`s naming the file and what is wrong.
 */
export function loadPromptSet(dir: string = DEFAULT_PROMPTS_DIR): PromptSet {
  const { mutations, crossover } = loadPrompts(dir);
  const files: PromptSetFile[] = [...mutations, crossover].map((p) => ({
    path: relative(dir, p.file).split(sep).join('/'),
    content: readFile(p.file, 'the prompt file'),
  }));
  const roles = readTemplates(dir, 'roles', ROLES, files);
  const spaces = readTemplates(dir, 'spaces', SPACES, files);
  for (const role of ROLES) checkTemplate(join(dir, 'roles', `${role}.md`), roles[role], role);
  for (const space of SPACES) checkTemplate(join(dir, 'spaces', `${space}.md`), spaces[space], space);
  return { mutations, crossover, templates: { roles, spaces }, hash: promptSetHash(files), dir };
}
