import * as tf from '@tensorflow/tfjs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { selectBackend } from './backend.ts';

const installed = (name: string): boolean => {
  try {
    createRequire(import.meta.url).resolve(`${name}/package.json`);
    return true;
  } catch {
    return false;
  }
};
// Machines that could download libtensorflow have the native bindings: there they must be chosen.
const native = installed('@tensorflow/tfjs-node-gpu') ? 'tensorflow-gpu' : installed('@tensorflow/tfjs-node') ? 'tensorflow' : null;

describe('selectBackend', () => {
  it('takes the best backend this machine has: a native binding when installed, else wasm, saying why', async () => {
    const sel = await selectBackend();
    if (native !== null) {
      expect(sel.kind).toBe(native);
      return;
    }
    expect(sel.kind).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(sel.skipped.map((s) => s.kind)).toEqual(['tensorflow-gpu', 'tensorflow']);
    // The reason is the real import failure, not a guess.
    for (const s of sel.skipped) expect(s.reason).toMatch(/Cannot find (package|module)|ERR_MODULE_NOT_FOUND|tfjs-node/);
    expect(sel.kernels).toEqual(expect.arrayContaining(['Conv2DBackpropFilter', 'MaxPoolGrad', 'DepthwiseConv2dNativeBackpropInput']));
    expect(sel.threads).toBe(1);
  });

  it('honours prefer=cpu and reports the skipped better backends as passed over', async () => {
    const sel = await selectBackend({ prefer: 'cpu' });
    expect(sel.kind).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
    expect(sel.skipped.map((s) => s.kind)).toEqual(['tensorflow-gpu', 'tensorflow', 'wasm']);
    expect(sel.skipped[0]?.reason).toMatch(/prefer=cpu/);
    expect(sel.kernels).not.toContain('Conv2DBackpropFilter');
  });

  it('skips a native binding that loads but registers no backend, and says so', async () => {
    const imported: string[] = [];
    const sel = await selectBackend({ prefer: 'tensorflow' }, async (spec) => { imported.push(spec); return {}; });
    expect(imported).toEqual(['@tensorflow/tfjs-node']);
    expect(sel.kind).toBe('wasm');
    expect(sel.skipped.find((s) => s.kind === 'tensorflow')?.reason).toMatch(/registered no 'tensorflow' backend/);
  });

  it('notes that more wasm threads cannot be had in Node instead of failing', async () => {
    const sel = await selectBackend({ prefer: 'wasm', wasmThreads: 2 });
    expect(sel.kind).toBe('wasm');
    expect(sel.notes.join(' ')).toMatch(/wasmThreads=2/);
  });

  it('rejects an unknown backend name', async () => {
    await expect(selectBackend({ prefer: 'webgpu' as never })).rejects.toThrow();
  });

  it('rejects an unknown wasm kernel switch, naming it', async () => {
    await expect(selectBackend({ wasmKernels: { fusedRelu: false } as never })).rejects.toThrow(/fusedRelu/);
  });
});
