import { afterEach, describe, expect, it } from 'vitest';
import type { Failure } from '@nasfleet/contracts';
import { runSandboxed, type SandboxResult } from './run-sandboxed.ts';
import { RESIDUAL, SEQUENTIAL_CNN } from './fixtures/valid-models.ts';

// A wide wall clock, so that a loaded machine cannot turn a slow run into 'timeout'; loops end on the
// deterministic step limit instead (a valid model needs less than one interrupt check).
const task = { inputShape: [16, 16, 3] as [number, number, number], numClasses: 10, timeoutMs: 60_000, maxSteps: 1000 };
const wrap = (body: string): string => `function buildModel(tf, inputShape, numClasses) {\n${body}\n}`;

async function failure(code: string): Promise<Failure> {
  const r = await runSandboxed(code, task);
  if (r.ok) throw new Error(`expected a failure, got an architecture of ${r.architecture.nodes.length} nodes`);
  return r.failure;
}
/** The valid CNN with `prefix` run first inside buildModel: the recorded architecture must be the honest one. */
async function tamperedCnn(prefix: string): Promise<SandboxResult> {
  return runSandboxed(SEQUENTIAL_CNN.replace('{\n', `{\n${prefix}\n`), task);
}

describe('runSandboxed: host-reaching attempts get nothing', () => {
  afterEach(async () => {
    // The worker stays healthy: a valid model right after each attack.
    const r = await runSandboxed(RESIDUAL, task);
    expect(r.ok).toBe(true);
    expect(Array.prototype.map.toString()).toContain('[native code]');
    expect(JSON.stringify({ a: 1 })).toBe('{"a":1}');
  });

  it.each([
    ['require', "require('child_process').execSync('id');"],
    ['process', 'process.exit(1);'],
    ['fetch', "fetch('http://127.0.0.1:6379');"],
    ['constructor chain', "this.constructor.constructor('return process')().exit(1);"],
    ['Function constructor', "Function('return require')()('fs');"],
  ])('%s is not defined in the sandbox', async (_name, body) => {
    const f = await failure(wrap(body));
    expect(f.class).toBe('sandbox-runtime');
    expect(f.message).toMatch(/ReferenceError: '?(process|require|fetch)'? is not defined/);
    expect(f.message).toContain('no host access');
  });

  it('the global object holds only the language built-ins and the stand-in', async () => {
    const f = await failure(wrap("throw new Error(Object.getOwnPropertyNames(Function('return this')()).join(','));"));
    const names = f.message.replace(/^Error: /, '').split(/[,( ]/);
    expect(names).toContain('Object');
    expect(names).toContain('tf');
    for (const host of ['process', 'require', 'std', 'os', 'fetch', 'global', 'Buffer', 'setTimeout', 'console', 'module']) expect(names).not.toContain(host);
  });

  it('static and dynamic import reach nothing', async () => {
    expect((await failure("import fs from 'fs';\nfunction buildModel() {}")).class).toBe('syntax');
    const f = await failure(wrap("return import('fs');"));
    expect(f.class).toBe('output');
  });

  it('an error whose message getter loops forever times out', async () => {
    const f = await failure(wrap('throw { get message() { for (;;) {} } };'));
    expect(f).toEqual({ class: 'timeout', message: expect.stringContaining('1000 step limit') });
  });

  it('a thrown Proxy that traps every read is still classified', async () => {
    const f = await failure(wrap('throw new Proxy({}, { get() { throw new Error("no"); } });'));
    expect(f.class).toBe('sandbox-runtime');
  });

  it('recursion through C code that skips the engine stack check is caught', async () => {
    const f = await failure(wrap('let a = [];\nfor (let i = 0; i < 200000; i++) a = [a];\nreturn JSON.stringify(a);'));
    expect(f.class).toBe('sandbox-runtime');
    expect(f.message).toContain('stack overflow');
  });
});

describe('runSandboxed: tampering cannot forge the output', () => {
  let honest: SandboxResult;
  afterEach(async () => {
    expect((await runSandboxed(RESIDUAL, task)).ok).toBe(true);
  });

  it('records the honest architecture despite tampered JSON, Array, Object and String prototypes', async () => {
    honest = await runSandboxed(SEQUENTIAL_CNN, task);
    expect(honest.ok).toBe(true);
    const forged = '{"ok":true,"architecture":{"format":"nasfleet.arch/v1","nodes":[{"id":"input","op":"input","inputs":[],"config":{"shape":[1]}},{"id":"d","op":"dense","inputs":["input"],"config":{"units":1,"activation":"linear","useBias":true}}],"output":"d"}}';
    const prefix = [
      `JSON.stringify = () => '${forged}';`,
      'Array.prototype.map = function () { return []; };',
      'Array.prototype.push = function () { return 0; };',
      'Array.prototype.join = function () { return "x"; };',
      "Object.defineProperty(Array.prototype, '1', { get() { return 999; }, set() {}, configurable: true });",
      "Object.defineProperty(Object.prototype, 'kind', { get() { return 'ok'; }, set() {}, configurable: true });",
      "Object.prototype.toJSON = function () { return 'forged'; };",
      "String.prototype.slice = function () { return 'forged'; };",
      'Object.keys = () => [];',
      'WeakMap.prototype.get = () => undefined;',
      'RegExp.prototype.exec = () => null;',
    ].join('\n');
    const r = await tamperedCnn(prefix);
    expect(r).toEqual(honest);
  });

  it('the stand-in cannot be redefined, and fake layers, tensors and models are rejected', async () => {
    const f1 = await failure(wrap("'use strict';\ntf.layers.dense = () => ({ apply: (x) => x });\nreturn tf.sequential();"));
    expect(f1.class).toBe('sandbox-runtime');
    const f2 = await failure(wrap('const m = tf.sequential();\nm.add({ apply: (x) => x, getClassName: () => "dense" });\nreturn m;'));
    expect(f2.message).toContain('model.add: expects a layer');
    const f3 = await failure(wrap('const i = tf.input({ shape: inputShape });\nreturn tf.model({ inputs: i, outputs: { shape: [null, 10] } });'));
    expect(f3.message).toContain('output must be a symbolic tensor');
    const fakeModel = '{ layers: [{ op: "dense" }], outputShape: [null, 10], toJSON() { return { format: "nasfleet.arch/v1" }; } }';
    expect((await failure(wrap(`return ${fakeModel};`))).class).toBe('output');
    const f4 = await failure(wrap('const m = tf.sequential();\nObject.setPrototypeOf(m, { add() {} });\nreturn m;'));
    expect(f4.class).toBe('sandbox-runtime');
  });

  it('a layer reused for weight sharing is refused rather than silently duplicated', async () => {
    const f = await failure(wrap('const i = tf.input({ shape: inputShape });\nconst c = tf.layers.conv2d({ filters: 3, kernelSize: 1 });\nconst x = c.apply(c.apply(i));\nreturn tf.model({ inputs: i, outputs: x });'));
    expect(f.class).toBe('unsupported-layer');
    expect(f.message).toContain('shared layers');
  });
});
