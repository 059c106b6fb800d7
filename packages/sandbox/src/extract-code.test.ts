import { describe, expect, it } from 'vitest';
import { extractCode, type Extraction } from './extract-code.ts';

function code(x: Extraction): string {
  if (!x.ok) throw new Error(`expected code, got ${x.failure.class}: ${x.failure.message}`);
  return x.code;
}
const FN = 'function buildModel(tf, inputShape, numClasses) {\n  return tf.sequential();\n}';

describe('extractCode', () => {
  it.each(['js', 'javascript', 'JavaScript', ''])('takes a ```%s block and drops the prose around it', (lang) => {
    const x = extractCode(`Here is the network:\n\n\`\`\`${lang}\n${FN}\n\`\`\`\n\nIt has one layer.`);
    expect(code(x)).toBe(`${FN}\n`);
    expect(x.ok && x.language).toBe('javascript');
  });

  it('picks the last of several blocks that define buildModel and says so', () => {
    const v2 = FN.replace('sequential()', 'sequential({})');
    const x = extractCode(`\`\`\`js\n${FN}\n\`\`\`\nusage:\n\`\`\`js\nconst m = buildModel(tf, [32, 32, 3], 10);\n\`\`\`\nbetter:\n\`\`\`javascript\n${v2}\n\`\`\``);
    expect(code(x)).toContain('sequential({})');
    expect(x.notes.join(' ')).toContain('3 code blocks; used block 3, the last that defines buildModel');
  });

  it('takes an unfenced answer that is only code, or code between prose lines', () => {
    expect(code(extractCode(FN))).toBe(FN);
    const x = extractCode(`Sure! Here it is.\n${FN}\nHope this helps.`);
    expect(code(x)).toBe(FN);
    expect(x.notes.join(' ')).toContain('no code fence');
  });

  it('accepts an unclosed final fence (a truncated answer)', () => {
    expect(code(extractCode(`\`\`\`js\n${FN}`))).toBe(FN);
  });

  it('strips TypeScript annotations without moving lines', () => {
    const ts = 'function buildModel(tf: any, inputShape: number[], numClasses: number): tf.LayersModel {\n  interface Cfg { units: number }\n  const m = tf.sequential() as tf.Sequential;\n  return m;\n}';
    const x = extractCode(`\`\`\`typescript\n${ts}\n\`\`\``);
    const js = code(x);
    expect(js).not.toMatch(/: number|interface|as tf/);
    expect(js.split('\n').findIndex((l) => l.includes('return m'))).toBe(3);
    expect(x.ok && x.language).toBe('typescript');
    expect(code(extractCode(`\`\`\`js\n${ts}\n\`\`\``))).not.toContain(': number');
  });

  it('reports a TypeScript parse error as syntax with its position', () => {
    const x = extractCode('```ts\nfunction buildModel(tf: ) {}\n```');
    expect(x.ok).toBe(false);
    expect(!x.ok && x.failure.class).toBe('syntax');
    expect(!x.ok && x.failure.message).toMatch(/line 1, column \d+/);
  });

  it('blanks tfjs imports and requires and drops export keywords, keeping line numbers', () => {
    const src = "import * as tf from '@tensorflow/tfjs';\nconst tfn = require('@tensorflow/tfjs-node');\nexport default function buildModel(tf) {\n  return 1;\n}\nmodule.exports = { buildModel };";
    const js = code(extractCode(`\`\`\`js\n${src}\n\`\`\``));
    expect(js.split('\n')).toEqual(['', '', 'function buildModel(tf) {', '  return 1;', '}', '', '']);
  });

  it.each([
    ['PyTorch', '```python\nimport torch\nimport torch.nn as nn\nclass Net(nn.Module):\n    pass\n```'],
    ['Keras', '```\nfrom tensorflow import keras\nmodel = keras.Sequential([keras.layers.Dense(10)])\n```'],
    ['unfenced Python', 'def build_model(input_shape, num_classes):\n    return None'],
  ])('refuses a %s answer, asking for JavaScript', (_name, answer) => {
    const x = extractCode(answer);
    expect(x.ok).toBe(false);
    expect(!x.ok && x.failure.class).toBe('extraction');
    expect(!x.ok && x.failure.message).toContain('answer in JavaScript with the TensorFlow.js layers API');
  });

  it('fails on an empty answer and on an answer without code', () => {
    for (const answer of ['', '   \n ', 'I cannot help with that.']) {
      const x = extractCode(answer);
      expect(x.ok).toBe(false);
      expect(!x.ok && x.failure.class).toBe('extraction');
    }
  });

  it.each([
    ['a BOM', '\ufeff'],
    ['a no-break space', '\u00a0'],
    ['an em space and a zero-width space', '\u2003\u200b'],
    ['an ideographic space', '\u3000'],
  ])('finds a fence preceded by %s', (_name, space) => {
    const x = extractCode(`${space}\`\`\`javascript\n${FN}\n${space}\`\`\`\nThe first layer is a flatten (it needs no options).`);
    expect(code(x)).toBe(`${FN}\n`);
    expect(x.notes.join(' ')).not.toContain('no code fence');
  });

  it.each([
    ['````markdown', '````'],
    ['```markdown', '```'],
    ['```md', '```'],
  ])('takes the ```javascript block nested in a %s block', (open, close) => {
    const answer = `${open}\n# My network\n\nA small CNN:\n\n\`\`\`javascript\n${FN}\n\`\`\`\n\nTrain it with Adam.\n${close}\n`;
    const x = extractCode(answer);
    expect(code(x)).toBe(`${FN}\n`);
    expect(x.notes.join(' ')).toMatch(/block inside the ```(markdown|md) block/);
  });

  it('keeps a ```markdown block without fences as prose, and still finds the code block after it', () => {
    const x = extractCode(`\`\`\`markdown\n# Plan\nconv, pool, dense\n\`\`\`\n\`\`\`js\n${FN}\n\`\`\``);
    expect(code(x)).toBe(`${FN}\n`);
  });

  // Each answer made a pattern backtrack quadratically: minutes (often hours) on 1 MB before the
  // patterns were bounded. The timeout is generous; no assertion is made on the time taken.
  const MB = 1 << 20;
  it.each([
    ['blank lines in the code (TypeScript hints)', `\`\`\`javascript\n${FN}\n${'\n'.repeat(MB)}\`\`\``, 'javascript'],
    ['"):a<" runs in the code (TypeScript hints)', `\`\`\`javascript\n${FN}\n//${'):a<'.repeat(MB / 4)}\n\`\`\``, 'javascript'],
    ['blank lines around prose (Python detection)', `I cannot help.${' \n'.repeat(MB / 2)}Sorry.`, null],
    ['"function" followed by spaces (buildModel detection)', `\`\`\`js\nfunction${' '.repeat(MB)}x\n\`\`\``, 'javascript'],
    ['an exports line of spaces', `\`\`\`js\n${FN}\nexports =${' '.repeat(MB)}!\n\`\`\``, 'javascript'],
  ])('extracts a 1 MB adversarial answer in linear time: %s', (_name, answer, language) => {
    const x = extractCode(answer);
    if (language === null) {
      expect(!x.ok && x.failure.class).toBe('extraction');
    } else {
      expect(code(x).startsWith('function')).toBe(true);
      expect(x.ok && x.language).toBe(language);
    }
  }, 60_000);
});
