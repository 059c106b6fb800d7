import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { linesOf, npmRun, root } from './cli-run.ts';

const answers = join(root, 'test', 'fixtures', 'answers');
const fixture = (name: string) => join(answers, name);
const SPAWN = 180_000;

describe('npm run check (LLM answers checked without training)', () => {
  it('prints one JSON line per answer, ok or rejected with its class, and exits 0', async () => {
    const files = ['valid.md', 'syntax-error.txt', 'no-code.txt', 'over-budget.txt'].map(fixture);
    const { code, stdout, stderr } = await npmRun('check', [...files, '--json']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const lines = linesOf(stdout).map((l) => JSON.parse(l));
    expect(lines.map((l) => [l.file, l.status, l.class])).toEqual([
      [files[0], 'ok', undefined],
      [files[1], 'rejected', 'syntax'],
      [files[2], 'rejected', 'extraction'],
      [files[3], 'rejected', 'over-budget'],
    ]);
    // conv 3×3×1→16 (160), conv 3×3×16→32 (4,640), dense 32→10 (330).
    expect(lines[0]).toMatchObject({ params: 5130, flops: expect.any(Number), ms: expect.any(Number) });
    expect(lines[1].message).toMatch(/line 3/);
    expect(lines[3].message).toMatch(/51392138 parameters \(cap 5000000/);
  }, SPAWN);

  it('reads - from stdin; without --json prints readable lines and a summary', async () => {
    const { code, stdout } = await npmRun('check', ['-', fixture('no-code.txt')], { stdin: readFileSync(fixture('valid.md'), 'utf8') });
    expect(code).toBe(0);
    const lines = linesOf(stdout);
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^ok +- +5,130 params/);
    expect(lines[1]).toMatch(/^rejected +\S+no-code\.txt +extraction: /);
    expect(lines[2]).toBe('2 answers: 1 ok, 1 rejected (extraction 1)');
  }, SPAWN);

  it('reports a file it cannot read as status "error", checks the rest, and exits 1', async () => {
    const { code, stdout } = await npmRun('check', ['/nonexistent/answer.md', answers, fixture('valid.md'), '--json']);
    expect(code).toBe(1);
    expect(linesOf(stdout).map((l) => JSON.parse(l))).toMatchObject([
      { file: '/nonexistent/answer.md', status: 'error', message: 'cannot read it: no such file' },
      { file: answers, status: 'error', message: 'cannot read it: is a folder, not a file' },
      { status: 'ok', params: 5130 },
    ]);
  }, SPAWN);

  it('exits 2 with one error line on a bad command line', async () => {
    for (const [args, message] of [
      [[], 'error: no FILE to check: give one or more answer files, or - for stdin'],
      [[fixture('valid.md'), '--input-shape', '28,28'], 'error: --input-shape must be three positive integers H,W,C (each at most 4096), got 28,28'],
      [[fixture('valid.md'), '--budget', '5'], 'error: unknown option --budget (--help lists the options)'],
    ] as const) {
      const { code, stdout, stderr } = await npmRun('check', [...args]);
      expect(code).toBe(2);
      expect(stdout).toBe('');
      expect(linesOf(stderr)).toEqual([message]);
    }
  }, SPAWN);
});
