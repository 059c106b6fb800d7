import { describe, expect, it } from 'vitest';
import { Architecture, type LayerNode } from '@nasfleet/arch';
import { runSandboxed, runSandboxedInProcess, type SandboxResult } from './run-sandboxed.ts';
import { SandboxOptionsError } from './errors.ts';
import { DEPTHWISE, MLP, RESIDUAL, SEPARABLE_BRANCHES, SEQUENTIAL_CNN, SQUEEZE_EXCITE, ZERO_PADDING } from './fixtures/valid-models.ts';

// A wide wall clock: a loaded machine must not turn a valid model into 'timeout'.
const task = { inputShape: [28, 28, 1] as [number, number, number], numClasses: 10, timeoutMs: 60_000 };

function arch(r: SandboxResult): Architecture {
  if (!r.ok) throw new Error(`expected an architecture, got ${r.failure.class}: ${r.failure.message}`);
  expect(Architecture.safeParse(r.architecture).success).toBe(true);
  return r.architecture;
}
const ops = (a: Architecture): string[] => a.nodes.map((n) => n.op);
const node = (a: Architecture, id: string): LayerNode => a.nodes.find((n) => n.id === id) as LayerNode;

describe('runSandboxed: valid models', () => {
  it('records a sequential CNN with Keras defaults filled in', async () => {
    const a = arch(await runSandboxed(SEQUENTIAL_CNN, task));
    expect(ops(a)).toEqual(['input', 'conv2d', 'batchNormalization', 'maxPooling2d', 'conv2d', 'averagePooling2d', 'flatten', 'dropout', 'dense']);
    expect(node(a, 'input').config).toEqual({ shape: [28, 28, 1] });
    expect(node(a, 'conv2d_2').config).toEqual({ filters: 32, kernelSize: [3, 3], strides: [1, 1], padding: 'valid', dilationRate: [1, 1], activation: 'relu', useBias: true });
    expect(node(a, 'maxPooling2d_1').config).toEqual({ poolSize: [2, 2], strides: [2, 2], padding: 'valid' });
    expect(node(a, 'batchNormalization_1').config).toEqual({ momentum: 0.99, epsilon: 0.001 });
    expect(node(a, 'dense_1').inputs).toEqual(['dropout_1']);
    expect(a.output).toBe('dense_1');
  });

  it('records a functional residual network; x.shape[3] reads the inferred channel count', async () => {
    const a = arch(await runSandboxed(RESIDUAL, task));
    const adds = a.nodes.filter((n) => n.op === 'add');
    expect(adds).toHaveLength(2);
    expect(adds[0]?.inputs).toEqual(['conv2d_1', 'activation_1']);
    expect(adds[1]?.inputs).toEqual(['add_1', 'activation_2']);
    expect(node(a, 'conv2d_2').config).toMatchObject({ filters: 16 });
    expect(node(a, 'batchNormalization_1').config).toEqual({ momentum: 0.9, epsilon: 0.001 });
  });

  it('records separable + concatenate branches', async () => {
    const a = arch(await runSandboxed(SEPARABLE_BRANCHES, task));
    expect(node(a, 'concatenate_1')).toMatchObject({ inputs: ['separableConv2d_1', 'conv2d_1'], config: { axis: -1 } });
    expect(node(a, 'separableConv2d_1').config).toMatchObject({ filters: 12, depthMultiplier: 1 });
    expect(node(a, 'dense_1').config).toEqual({ units: 10, activation: 'linear', useBias: true });
  });

  it('records depthwise convolutions and activation layers', async () => {
    const a = arch(await runSandboxed(DEPTHWISE, task));
    expect(node(a, 'depthwiseConv2d_1').config).toMatchObject({ depthMultiplier: 2, activation: 'relu6' });
    expect(node(a, 'activation_1').config).toEqual({ activation: 'relu' });
  });

  it('normalises zeroPadding2d forms', async () => {
    const a = arch(await runSandboxed(ZERO_PADDING, task));
    expect(node(a, 'zeroPadding2d_1').config).toEqual({ padding: [[1, 2], [3, 4]] });
    expect(node(a, 'zeroPadding2d_2').config).toEqual({ padding: [[1, 1], [1, 1]] });
  });

  it('records a squeeze-excite gate (multiply broadcasts [null,1,1,C])', async () => {
    const a = arch(await runSandboxed(SQUEEZE_EXCITE, task));
    expect(node(a, 'averagePooling2d_1').config).toMatchObject({ poolSize: [28, 28] });
    expect(node(a, 'conv2d_2').config).toMatchObject({ filters: 4 });
    expect(node(a, 'multiply_1').inputs).toEqual(['conv2d_1', 'conv2d_3']);
  });

  it('records a dense-only MLP; compile and initializers are accepted and ignored', async () => {
    const a = arch(await runSandboxed(MLP, { inputShape: [8, 8, 3], numClasses: 5, timeoutMs: 60_000 }));
    expect(ops(a)).toEqual(['input', 'flatten', 'dense', 'dropout', 'dense', 'dense']);
    expect(node(a, 'dense_2').config).toEqual({ units: 64, activation: 'swish', useBias: false });
    expect(node(a, 'dense_3').config).toMatchObject({ units: 5 });
  });

  it('rejects invalid options as a caller error, saying which', async () => {
    await expect(runSandboxed(MLP, { inputShape: [0, 8, 3], numClasses: 5 })).rejects.toBeInstanceOf(SandboxOptionsError);
    await expect(runSandboxed(MLP, { ...task, maxSteps: 0 })).rejects.toThrow(/maxSteps/);
    await expect(runSandboxedInProcess(MLP, { ...task, maxCodeBytes: -1 })).rejects.toThrow(/maxCodeBytes/);
  });

  it('the in-process path records the same architecture as the pool', async () => {
    expect(await runSandboxedInProcess(RESIDUAL, task)).toEqual(await runSandboxed(RESIDUAL, task));
  });
});

describe('runSandboxed: deterministic limits', () => {
  const loop = 'function buildModel(tf) {\n  for (;;) {}\n}';

  it('maxSteps ends an endless loop as timeout whatever the wall clock, in the pool and in process', async () => {
    for (const run of [runSandboxed, runSandboxedInProcess]) {
      const r = await run(loop, { ...task, maxSteps: 50 });
      expect(!r.ok && r.failure).toEqual({ class: 'timeout', message: 'the code ran past the 50 step limit (endless loop?)' });
    }
  });

  it('a valid model runs within a small step limit', async () => {
    arch(await runSandboxed(SEQUENTIAL_CNN, { ...task, maxSteps: 10 }));
  });

  it('code over maxCodeBytes fails too-large before it runs, with its size and the cap', async () => {
    const r = await runSandboxed(loop, { ...task, maxCodeBytes: 20 });
    expect(!r.ok && r.failure).toEqual({ class: 'too-large', message: expect.stringContaining(`the code is ${loop.length} bytes, over the 20-byte cap (maxCodeBytes)`) });
    const inProcess = await runSandboxedInProcess(loop, { ...task, maxCodeBytes: 20 });
    expect(inProcess).toEqual(r);
  });

  it('code that crashes the compiler is too large, not a runtime failure', async () => {
    const nested = `function buildModel() { return ${'['.repeat(20_000)}${']'.repeat(20_000)}; }`;
    for (const run of [runSandboxed, runSandboxedInProcess]) {
      const r = await run(nested, task);
      expect(!r.ok && r.failure).toEqual({ class: 'too-large', message: 'the code is too large to compile in the sandbox' });
    }
    arch(await runSandboxedInProcess(SEQUENTIAL_CNN, task));
  });
});
