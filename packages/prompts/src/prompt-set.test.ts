import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_PROMPTS_DIR } from './load-prompts.ts';
import { loadPromptSet, promptSetHash } from './prompt-set.ts';
import { ROLES, SPACES } from './template-check.ts';

/** A copy of the repository's prompts to break. */
function copy(): string {
  const dir = mkdtempSync(join(tmpdir(), 'prompt-set-'));
  cpSync(DEFAULT_PROMPTS_DIR, dir, { recursive: true });
  return dir;
}
function filesOf(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.md') && f !== 'README.md')
    .map((f) => relative(dir, join(dir, f)).split('\\').join('/'))
    .sort();
}

describe('loadPromptSet', () => {
  it('loads the repository set: every mutation prompt, the crossover prompt, every role and space template', () => {
    const set = loadPromptSet();
    expect(set.mutations.length).toBeGreaterThanOrEqual(13);
    expect(set.crossover.intent).toBe('crossover');
    expect(Object.keys(set.templates.roles).sort()).toEqual([...ROLES].sort());
    expect(Object.keys(set.templates.spaces).sort()).toEqual([...SPACES].sort());
    expect(set.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(set.dir).toBe(DEFAULT_PROMPTS_DIR);
  });

  it('hashes the same prompts the same wherever they lie, and differently after any change to any file', () => {
    const base = loadPromptSet().hash;
    expect(loadPromptSet().hash).toBe(base);
    const dir = copy();
    expect(loadPromptSet(dir).hash).toBe(base);
    const files = filesOf(dir);
    expect(files.length).toBeGreaterThanOrEqual(20);
    for (const f of files) {
      const path = join(dir, f);
      const before = readFileSync(path, 'utf8');
      writeFileSync(path, `${before}\nOne more sentence.`);
      expect(loadPromptSet(dir).hash, f).not.toBe(base);
      writeFileSync(path, before);
    }
    expect(loadPromptSet(dir).hash).toBe(base);
    // README.md is documentation, not part of the set.
    writeFileSync(join(dir, 'README.md'), 'changed');
    expect(loadPromptSet(dir).hash).toBe(base);
  });

  it('does not depend on the order files are listed or created in', () => {
    const files = [{ path: 'a.md', content: 'x' }, { path: 'b/c.md', content: 'y' }, { path: 'b.md', content: 'z' }];
    const hash = promptSetHash(files);
    expect(promptSetHash([...files].reverse())).toBe(hash);
    expect(promptSetHash([files[1]!, files[2]!, files[0]!])).toBe(hash);
    // Where one file ends and the next begins is part of the hash.
    expect(promptSetHash([{ path: 'a.md', content: 'xy' }, { path: 'b.md', content: '' }])).not.toBe(promptSetHash([{ path: 'a.md', content: 'x' }, { path: 'b.md', content: 'y' }]));
    expect(promptSetHash([{ path: 'a.md', content: 'x' }])).not.toBe(promptSetHash([{ path: 'b.md', content: 'x' }]));
    // The same files written in reverse order (a different directory order on most file systems).
    const dir = copy();
    const reversed = mkdtempSync(join(tmpdir(), 'prompt-set-rev-'));
    for (const f of filesOf(dir).reverse()) cpSync(join(dir, f), join(reversed, f), { recursive: true });
    expect(loadPromptSet(reversed).hash).toBe(loadPromptSet(dir).hash);
  });

  describe('names the file and what is wrong', () => {
    const broken = (path: string, content: string | null): (() => unknown) => {
      const dir = copy();
      if (content === null) rmSync(join(dir, path));
      else writeFileSync(join(dir, path), content);
      return () => loadPromptSet(dir);
    };
    const mutate = readFileSync(join(DEFAULT_PROMPTS_DIR, 'roles/mutate.md'), 'utf8');

    it('a missing template', () => {
      expect(broken('roles/mutate.md', null)).toThrow(/roles[/\\]mutate\.md: cannot read the mutate template/);
      expect(broken('spaces/nb201.md', null)).toThrow(/spaces[/\\]nb201\.md: cannot read/);
    });
    it('a template for no known role (a misspelt name would be ignored)', () => {
      expect(broken('roles/mutation.md', mutate)).toThrow(/roles[/\\]mutation\.md: unknown roles template; expected mutate\.md/);
    });
    it('Mustache syntax errors, unknown placeholders, partials', () => {
      expect(broken('roles/mutate.md', `${mutate}\n{{#memory}}unclosed`)).toThrow(/roles[/\\]mutate\.md: not a valid Mustache template: Unclosed section "memory"/);
      expect(broken('roles/mutate.md', `${mutate}\n{{{parnet.code}}}`)).toThrow(/roles[/\\]mutate\.md: unknown placeholder\(s\) \{\{parnet\.code\}\}/);
      expect(broken('spaces/code.md', '{{{task}}} {{> header}}')).toThrow(/spaces[/\\]code\.md: partials/);
    });
    it('a template that leaves out what its role needs', () => {
      expect(broken('roles/mutate.md', mutate.replaceAll('{{{parent.block}}}', ''))).toThrow(/roles[/\\]mutate\.md: the mutate template must use \{\{parent\.block\}\} or \{\{parent\.code\}\} \(else/);
      expect(broken('roles/mutate.md', mutate.replaceAll('{{{parent.block}}}', '```\n{{{parent.code}}}\n```'))).not.toThrow();
      expect(broken('roles/generator.md', 'Write a network. {{{answerContract}}}')).toThrow(
        /roles[/\\]generator\.md: the generator template must use \{\{current\.block\}\} or \{\{current\.code\}\}, \{\{current\.failure\.message\}\}, \{\{reference\.block\}\} or \{\{reference\.code\}\}, \{\{memory\}\}, \{\{outcome\}\}, \{\{feedback\.suggestion\}\}, \{\{instruction\}\}/,
      );
      expect(broken('spaces/nb201.md', 'No task here.')).toThrow(/spaces[/\\]nb201\.md: the nb201 template must use \{\{task\}\}/);
      expect(broken('roles/improver.md', '  \n')).toThrow(/roles[/\\]improver\.md: the template is empty/);
    });
    it('bad prompt files, as loadPrompts reports them', () => {
      expect(broken('mutation/widen.md', '---\nid: widen\nintent: fly\n---\nFly.')).toThrow(/mutation[/\\]widen\.md: unknown intent "fly"/);
      expect(broken('crossover.md', null)).toThrow(/crossover\.md: cannot read the crossover prompt/);
    });
  });
});
