import { describe, expect, it } from 'vitest';
import type { Failure } from '@nasfleet/search';
import { runSandboxed } from './run-sandboxed.ts';
import { SUPPORTED_LAYERS } from './code-contract.ts';

const task = { inputShape: [16, 16, 3] as [number, number, number], numClasses: 10, timeoutMs: 300 };

async function failure(code: string, opts: Partial<typeof task> & { memoryBytes?: number } = {}): Promise<Failure> {
  const r = await runSandboxed(code, { ...task, ...opts });
  if (r.ok) throw new Error('expected a failure');
  return r.failure;
}
const wrap = (body: string): string => `function buildModel(tf, inputShape, numClasses) {\n${body}\n}`;
const head = `const m = tf.sequential();\nm.add(tf.layers.flatten({ inputShape }));\n`;

describe('runSandboxed: failure classes', () => {
  it('syntax errors carry line and column', async () => {
    const f = await failure('function buildModel(tf) {\n  const x = ;\n}');
    expect(f.class).toBe('syntax');
    expect(f.message).toMatch(/at line 2, column \d+/);
  });

  it('runtime throws carry the message, the answer line and the last layer call', async () => {
    const f = await failure(wrap(`${head}  m.add(tf.layers.dense({ units: 4 }));\n  const cfg = null;\n  return cfg.units;`));
    expect(f.class).toBe('sandbox-runtime');
    expect(f.message).toContain("cannot read property 'units' of null");
    expect(f.message).toMatch(/answer line 6/);
    expect(f.message).toContain('tf.layers.dense (layer call #2)');
  });

  it('a thrown non-Error is reported', async () => {
    const f = await failure(wrap('throw 42;'));
    expect(f).toEqual({ class: 'sandbox-runtime', message: expect.stringContaining('threw 42') });
  });

  it('an unknown layer fails unsupported-layer with the supported list', async () => {
    const f = await failure(wrap(`${head}  m.add(tf.layers.upSampling2d({ size: 2 }));\n  return m;`));
    expect(f.class).toBe('unsupported-layer');
    expect(f.message).toContain('tf.layers.upSampling2d');
    for (const name of SUPPORTED_LAYERS) expect(f.message).toContain(name);
  });

  it('an unknown option fails unsupported-layer naming it', async () => {
    const f = await failure(wrap(`${head}  m.add(tf.layers.dense({ units: 4, kernelRegularizer: 'l2' }));\n  return m;`));
    expect(f.class).toBe('unsupported-layer');
    expect(f.message).toContain('"kernelRegularizer"');
  });

  it('a tf function outside the layers API and an unknown activation are unsupported', async () => {
    expect((await failure(wrap('const x = tf.input({ shape: inputShape });\nreturn tf.add(x, x);'))).message).toContain('tf.add is not available');
    const f = await failure(wrap(`${head}  m.add(tf.layers.dense({ units: 10, activation: 'leakyRelu' }));\n  return m;`));
    expect(f.class).toBe('unsupported-layer');
    expect(f.message).toContain('hardSigmoid');
  });

  it('the first stand-in failure wins even when the code catches it', async () => {
    const f = await failure(wrap(`${head}  try { m.add(tf.layers.conv3d({})); } catch (e) {}\n  m.add(tf.layers.dense({ units: numClasses }));\n  return m;`));
    expect(f.class).toBe('unsupported-layer');
  });

  it('shape mismatches are classified as shape', async () => {
    const code = wrap(`const i = tf.input({ shape: inputShape });
  const a = tf.layers.conv2d({ filters: 8, kernelSize: 3 }).apply(i);
  const b = tf.layers.conv2d({ filters: 4, kernelSize: 3 }).apply(i);
  return tf.model({ inputs: i, outputs: tf.layers.add().apply([a, b]) });`);
    const f = await failure(code);
    expect(f.class).toBe('shape');
    expect(f.message).toContain('[null, 14, 14, 8] and [null, 14, 14, 4]');
    expect((await failure(wrap('const m = tf.sequential();\nm.add(tf.layers.dense({ units: 10, inputShape: [32, 32, 3] }));\nreturn m;'))).class).toBe('shape');
    expect((await failure(wrap('const m = tf.sequential();\nfor (let i = 0; i < 6; i++) m.add(tf.layers.maxPooling2d({}));\nreturn m;'))).class).toBe('shape');
  });

  it('an output that is not [null, numClasses] fails output', async () => {
    const f = await failure(wrap('const m = tf.sequential();\nm.add(tf.layers.conv2d({ filters: 10, kernelSize: 1 }));\nreturn m;'));
    expect(f.class).toBe('output');
    expect(f.message).toContain('[null, 16, 16, 10]');
  });

  it('returning something other than a model, or an empty model, fails output', async () => {
    expect(await failure(wrap('return 42;'))).toEqual({ class: 'output', message: expect.stringContaining('got 42') });
    expect((await failure(wrap('return tf.layers.dense({ units: 3 });'))).class).toBe('output');
    expect((await failure(wrap('const i = tf.input({ shape: inputShape });\nreturn tf.layers.flatten().apply(i);'))).message).toContain('a symbolic tensor');
    expect(await failure(wrap('return tf.sequential();'))).toEqual({ class: 'output', message: 'the model has no layers' });
  });

  it('a missing buildModel fails extraction', async () => {
    expect(await failure('function build_model(tf) { return null; }')).toEqual({ class: 'extraction', message: expect.stringContaining('no buildModel function') });
    expect((await failure('const buildModel = 3;')).message).toContain('buildModel is 3, not a function');
  });

  it('endless loops time out, also inside a config getter and in top-level code', async () => {
    expect((await failure(wrap('while (true) {}'))).class).toBe('timeout');
    expect((await failure(wrap(`${head}  m.add(tf.layers.dense({ get units() { for (;;) {} } }));\n  return m;`))).class).toBe('timeout');
    expect((await failure('for (;;) {}\nfunction buildModel() {}')).class).toBe('timeout');
    expect((await failure(wrap('try { for (;;) {} } catch (e) {}\nreturn 1;'))).class).toBe('timeout');
  });

  it('memory bombs fail memory', async () => {
    expect((await failure(wrap("const s = 'x'.repeat(1 << 28);\nreturn s;"))).class).toBe('memory');
    expect((await failure(wrap('const a = new Array(1e8).fill(1.5);\nreturn a;'), { timeoutMs: 3000 })).class).toBe('memory');
    expect((await failure(wrap('return new ArrayBuffer(1 << 30);'))).class).toBe('memory');
  });

  it('stack overflow is a runtime failure that says so', async () => {
    const f = await failure(`function r(n) { return r(n + 1) + 1; }\n${wrap('return r(0);')}`);
    expect(f.class).toBe('sandbox-runtime');
    expect(f.message).toContain('stack overflow');
  });
});
