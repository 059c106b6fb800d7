import { describe, expect, it } from 'vitest';
import { formatCheckSummary, runCheckCommand } from './check-command.ts';
import type { CheckLine, CheckSources } from './check-command.ts';

/** A small CNN whose output has `units` classes (numClasses unless given). */
const cnn = (units = 'numClasses') => `function buildModel(tf, inputShape, numClasses) {
  const model = tf.sequential();
  model.add(tf.layers.conv2d({ inputShape, filters: 16, kernelSize: 3, padding: 'same', activation: 'relu' }));
  model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  model.add(tf.layers.flatten());
  model.add(tf.layers.dense({ units: ${units}, activation: 'softmax' }));
  return model;
}`;

const FILES: Record<string, string> = {
  'valid.md': `Here is a compact CNN.\n\n\`\`\`js\n${cnn()}\n\`\`\`\n`,
  'ten.js': cnn('10'),
  'prose.txt': 'I would use a ResNet-18; tell me if you want the code.',
  'broken.js': 'function buildModel(tf, inputShape, numClasses) { return tf.sequential(; }',
};

function sources(stdin = ''): CheckSources {
  return {
    readFile: async (path) => {
      if (path in FILES) return FILES[path]!;
      throw Object.assign(new Error(`ENOENT: no such file or directory, open '${path}'`), { code: 'ENOENT' });
    },
    readStdin: async () => stdin,
  };
}

async function run(argv: string[], stdin?: string) {
  const out: string[] = [];
  const code = await runCheckCommand(argv, { stdout: (t) => out.push(t), stderr: () => {} }, sources(stdin));
  return { code, out };
}

describe('runCheckCommand', () => {
  it('prints one JSON line per file: ok with params and FLOPs, rejected with class and message; exit 0', async () => {
    const { code, out } = await run(['valid.md', 'prose.txt', 'broken.js', '--json']);
    expect(code).toBe(0);
    const lines = out.map((l) => JSON.parse(l) as CheckLine);
    expect(lines.map((l) => [l.file, l.status, 'class' in l ? l.class : null])).toEqual([
      ['valid.md', 'ok', null], ['prose.txt', 'rejected', 'extraction'], ['broken.js', 'rejected', 'syntax'],
    ]);
    expect(lines[0]).toMatchObject({ params: expect.any(Number), flops: expect.any(Number), ms: expect.any(Number) });
    expect((lines[0] as { params: number }).params).toBeGreaterThan(1000);
    expect(lines[1]).toMatchObject({ message: expect.stringMatching(/no JavaScript code/) });
  }, 60_000);

  it('checks against the task given: input shape and number of classes', async () => {
    const { out } = await run(['ten.js', 'valid.md', '--classes', '3', '--input-shape', '32,32,3', '--json']);
    const [ten, valid] = out.map((l) => JSON.parse(l) as CheckLine);
    expect(ten).toMatchObject({ status: 'rejected', class: 'output' });
    expect(valid).toMatchObject({ status: 'ok' });
    // 32×32×3 input, 16 filters, pooled to 16×16: the dense layer has 16·16·16·3 + 3 parameters.
    expect((valid as { params: number }).params).toBe(3 * 3 * 3 * 16 + 16 + 16 * 16 * 16 * 3 + 3);
    const { out: fashion } = await run(['ten.js', '--json']);
    expect(JSON.parse(fashion[0]!)).toMatchObject({ status: 'ok', params: 3 * 3 * 16 + 16 + 14 * 14 * 16 * 10 + 10 });
  }, 60_000);

  it('reads - from stdin and prints readable lines and a summary without --json', async () => {
    const { code, out } = await run(['-', 'prose.txt'], FILES['valid.md']);
    expect(code).toBe(0);
    expect(out[0]).toMatch(/^ok {8}- {2}[\d,]+ params, [\d.]+ M FLOPs {2}\([\d.]+ ms\)$/);
    expect(out[1]).toMatch(/^rejected {2}prose\.txt {2}extraction: no JavaScript code/);
    expect(out[2]).toBe('2 answers: 1 ok, 1 rejected (extraction 1)');
  }, 60_000);

  it('gives an unreadable file a status "error" line, checks the others, and exits 1', async () => {
    const { code, out } = await run(['missing.md', 'valid.md', '--json']);
    expect(code).toBe(1);
    expect(JSON.parse(out[0]!)).toMatchObject({ file: 'missing.md', status: 'error', message: 'cannot read it: no such file' });
    expect(JSON.parse(out[1]!)).toMatchObject({ file: 'valid.md', status: 'ok' });
  }, 60_000);
});

describe('formatCheckSummary', () => {
  it('counts ok, rejected by class and unreadable files', () => {
    const lines: CheckLine[] = [
      { file: 'a', status: 'ok', params: 1, flops: 1, ms: 1 },
      { file: 'b', status: 'rejected', class: 'syntax', message: '', ms: 1 },
      { file: 'c', status: 'rejected', class: 'over-budget', message: '', ms: 1 },
      { file: 'd', status: 'rejected', class: 'syntax', message: '', ms: 1 },
      { file: 'e', status: 'error', message: 'cannot read it', ms: 1 },
    ];
    expect(formatCheckSummary(lines)).toBe('5 answers: 1 ok, 3 rejected (over-budget 1, syntax 2), 1 could not be read');
    expect(formatCheckSummary([lines[0]!])).toBe('1 answer: 1 ok, 0 rejected');
  });
});
