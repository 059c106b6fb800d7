import { describe, expect, it } from 'vitest';
import type { Failure } from '@nasfleet/contracts';
import { MAX_NODES, checkArchitecture } from '@nasfleet/arch';
import { runSandboxed } from './run-sandboxed.ts';
import { SUPPORTED_LAYERS } from './code-contract.ts';

// Endless loops end by the deterministic step limit; the wall clock is far away, so a busy machine
// cannot turn another class into 'timeout'.
const task = { inputShape: [16, 16, 3] as [number, number, number], numClasses: 10, timeoutMs: 60_000, maxSteps: 1000 };

async function failure(code: string, opts: Partial<typeof task> & { memoryBytes?: number; maxSteps?: number } = {}): Promise<Failure> {
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
    expect((await failure(wrap('const a = new Array(1e8).fill(1.5);\nreturn a;'))).class).toBe('memory');
    expect((await failure(wrap('return new ArrayBuffer(1 << 30);'))).class).toBe('memory');
    // Plain doubling: QuickJS refuses the string past its length cap before the heap fills up.
    const doubling = await failure(wrap("let s = 'x';\nfor (;;) s = s + s;"));
    expect(doubling).toEqual({ class: 'memory', message: expect.stringContaining("over the sandbox's length cap") });
  });

  it('stack overflow is a runtime failure that says so', async () => {
    const f = await failure(`function r(n) { return r(n + 1) + 1; }\n${wrap('return r(0);')}`);
    expect(f.class).toBe('sandbox-runtime');
    expect(f.message).toContain('stack overflow');
  });

  // Runs that must end by a rule of the stand-in, not by the clock: the limit is far away.
  const patient = { timeoutMs: 60_000 };

  it.each([
    ['conv2d filters 3.5', 'tf.layers.conv2d({ filters: 3.5, kernelSize: 3 })', 'tf.layers.conv2d (layer call #2): filters must be a positive integer (1 to 1000000), got 3.5'],
    ['dense units NaN', 'tf.layers.dense({ units: NaN })', 'tf.layers.dense (layer call #2): units must be a positive integer (1 to 1000000), got NaN'],
    ['conv2d kernelSize -8', 'tf.layers.conv2d({ filters: 8, kernelSize: -8 })', 'kernelSize must be a positive integer (1 to 1000000), got -8'],
    ["dense units '32'", "tf.layers.dense({ units: '32' })", 'units must be a positive integer (1 to 1000000), got "32" (a string; write the number without quotes)'],
    ['conv2d strides [2, 0.5]', 'tf.layers.conv2d({ filters: 8, kernelSize: 3, strides: [2, 0.5] })', 'strides[1] must be a positive integer (1 to 1000000), got 0.5'],
    ['pooling poolSize "2x2"', "tf.layers.maxPooling2d({ poolSize: '2x2' })", 'poolSize must be a positive integer or a pair [rows, cols] of them, got "2x2"'],
    ['dropout rate 1.5', 'tf.layers.dropout({ rate: 1.5 })', 'rate must be a number in [0, 1], got 1.5'],
    ['dropout without rate', 'tf.layers.dropout({})', 'rate must be a number in [0, 1] (e.g. {rate: 0.25}), got nothing (the option is required)'],
    ['useBias "yes"', "tf.layers.dense({ units: 4, useBias: 'yes' })", 'useBias must be true or false, got "yes"'],
    ['padding "full"', "tf.layers.conv2d({ filters: 8, kernelSize: 3, padding: 'full' })", "padding must be 'same' or 'valid', got \"full\""],
    ['activation 1', 'tf.layers.dense({ units: 4, activation: 1 })', 'activation must be an activation name (linear, relu'],
    ['zeroPadding2d padding -1', 'tf.layers.zeroPadding2d({ padding: -1 })', 'padding must be a non-negative integer (0 to 10000), got -1'],
    ['batchNormalization momentum -8', 'tf.layers.batchNormalization({ momentum: -8 })', 'momentum must be a number in [0, 1], got -8'],
  ])('a bad option value fails invalid-option naming the call, option, value and what is accepted: %s', async (_name, layer, message) => {
    const f = await failure(wrap(`const m = tf.sequential();\nm.add(tf.layers.conv2d({ inputShape, filters: 4, kernelSize: 1 }));\nm.add(${layer});\nreturn m;`), patient);
    expect(f.class).toBe('invalid-option');
    expect(f.message).toContain(message);
    expect(f.message).toContain('(layer call #2)');
  });

  it('a bad concatenate axis fails invalid-option', async () => {
    const f = await failure(wrap('const i = tf.input({ shape: inputShape });\nreturn tf.layers.concatenate({ axis: 1.5 }).apply([i, i]);'), patient);
    expect(f).toEqual({ class: 'invalid-option', message: expect.stringContaining('axis must be an integer (-1 for the channels), got 1.5') });
  });

  it('a loop adding layers without end fails over-budget at the node cap, not at the time limit', async () => {
    const f = await failure(wrap(`${head}  for (let i = 0; i < 1e7; i++) m.add(tf.layers.dense({ units: 4 }));\n  return m;`), patient);
    expect(f.class).toBe('over-budget');
    expect(f.message).toContain(`tf.layers.dense (layer call #${MAX_NODES})`);
    expect(f.message).toContain(`more than ${MAX_NODES - 1} layers (the cap is ${MAX_NODES} nodes`);
    const inputs = await failure(wrap('for (let i = 0; i < 1e7; i++) tf.input({ shape: inputShape });'), patient);
    expect(inputs.class).toBe('over-budget');
  }, 120_000);

  it('the stand-in takes exactly as many layers as the architecture format (MAX_NODES of @nasfleet/arch)', async () => {
    const chain = (layers: number): string => wrap(`${head}  for (let i = 0; i < ${layers - 2}; i++) m.add(tf.layers.dense({ units: 4 }));\n  m.add(tf.layers.dense({ units: numClasses }));\n  return m;`);
    const full = await runSandboxed(chain(MAX_NODES - 1), { ...task, ...patient });
    expect(full.ok && full.architecture.nodes.length).toBe(MAX_NODES);
    expect((await failure(chain(MAX_NODES), patient)).class).toBe('over-budget');
  }, 120_000);

  it.each([
    ['an async buildModel', `async ${wrap(`${head}  m.add(tf.layers.dense({ units: numClasses }));\n  return m;`)}`],
    ['a buildModel returning a Promise', wrap(`${head}  m.add(tf.layers.dense({ units: numClasses }));\n  return Promise.resolve(m);`)],
    ['a buildModel returning a thenable', wrap('return { then(resolve) { resolve(null); } };')],
  ])('%s fails output, saying it returned a Promise and must build the model synchronously', async (_name, code) => {
    const f = await failure(code, patient);
    expect(f.class).toBe('output');
    expect(f.message).toContain('buildModel returned a Promise');
    expect(f.message).toContain('synchronously');
  });

  it.each([['add', 6], ['multiply', 7], ['concatenate', 6], ['concatenate', 12]])('%s merges %i inputs', async (merge, n) => {
    const code = wrap(`const i = tf.input({ shape: inputShape });
  const xs = [];
  for (let k = 0; k < ${n}; k++) xs.push(tf.layers.conv2d({ filters: 4, kernelSize: 1 }).apply(i));
  const y = tf.layers.${merge}().apply(xs);
  const out = tf.layers.dense({ units: numClasses }).apply(tf.layers.globalAveragePooling2d().apply(y));
  return tf.model({ inputs: i, outputs: out });`);
    const r = await runSandboxed(code, { ...task, ...patient });
    if (!r.ok) throw new Error(`${r.failure.class}: ${r.failure.message}`);
    const node = r.architecture.nodes.find((x) => x.op === merge);
    expect(node?.inputs).toHaveLength(n);
    const checked = checkArchitecture(r.architecture, { numClasses: 10, inputShape: task.inputShape });
    if (!checked.ok) throw new Error(`${checked.failure.class}: ${checked.failure.message}`);
    expect(checked.report.shapes[node?.id ?? '']).toEqual([16, 16, merge === 'concatenate' ? 4 * n : 4]);
  });
});
