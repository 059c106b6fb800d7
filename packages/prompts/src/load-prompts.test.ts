import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MutationIntent } from '@nasfleet/contracts';
import { loadPrompts, parsePromptFile } from './load-prompts.ts';

function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'prompts-'));
  mkdirSync(join(dir, 'mutation'));
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return dir;
}
const file = (id: string, intent = id) => `---\nid: ${id}\nintent: ${intent}\n---\nDo ${id}.\n`;

describe('loadPrompts', () => {
  it('loads the repository prompts: at least the 13 kinds of SPEC §1, every intent covered, plus crossover', () => {
    const { mutations, crossover } = loadPrompts();
    expect(mutations.length).toBeGreaterThanOrEqual(13);
    expect(new Set(mutations.map((p) => p.intent))).toEqual(new Set(MutationIntent.options));
    expect(crossover.intent).toBe('crossover');
    for (const p of mutations) expect(p.text.length).toBeGreaterThan(40);
    expect(mutations.map((p) => p.file)).toEqual([...mutations.map((p) => p.file)].sort());
  });

  it('names the file and the problem for bad prompt files', () => {
    expect(() => parsePromptFile('x.md', 'no front matter')).toThrow(/x\.md: expected YAML front matter/);
    expect(() => parsePromptFile('x.md', '---\nid: a\n---\ntext')).toThrow(/intent/);
    expect(() => parsePromptFile('x.md', '---\nid: A B\nintent: improve\n---\ntext')).toThrow(/id/);
    expect(() => parsePromptFile('x.md', '---\nid: a\nintent: improve\n---\n  ')).toThrow(/empty/);
    expect(() => loadPrompts(tree({ 'mutation/a.md': file('a', 'fly'), 'crossover.md': file('crossover') }))).toThrow(/unknown intent "fly"/);
    expect(() => loadPrompts(tree({ 'mutation/a.md': file('x', 'improve'), 'mutation/b.md': file('x', 'widen'), 'crossover.md': file('crossover') }))).toThrow(/also used/);
    expect(() => loadPrompts(tree({ 'mutation/a.md': file('improve') }))).toThrow(/crossover/);
    expect(() => loadPrompts(tree({ 'crossover.md': file('crossover') }))).toThrow(/no mutation prompts/);
  });
});
