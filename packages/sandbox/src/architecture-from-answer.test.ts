import { describe, expect, it } from 'vitest';
import { architectureFromAnswer } from './architecture-from-answer.ts';
import { quickJSModule } from './quickjs-module.ts';
import { CODE_CONTRACT, SUPPORTED_LAYERS } from './code-contract.ts';
import { MLP, RESIDUAL, SEQUENTIAL_CNN } from './fixtures/valid-models.ts';

const opts = { inputShape: [32, 32, 3] as [number, number, number], numClasses: 10 };
const answer = (code: string, lang = 'javascript'): string => `Here is my network.\n\n\`\`\`${lang}\n${code}\n\`\`\`\n`;
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

describe('architectureFromAnswer', () => {
  it('turns a valid answer into an architecture with the code that ran', async () => {
    const r = await architectureFromAnswer(answer(RESIDUAL), opts);
    expect(r.ok).toBe(true);
    expect(r.code).toBe(`${RESIDUAL}\n`);
    expect(r.ok && r.architecture.nodes[0]).toEqual({ id: 'input', op: 'input', inputs: [], config: { shape: [32, 32, 3] } });
    expect(r.elapsedMs).toBeGreaterThan(0);
  });

  it('passes its limits to the sandbox and returns extraction failures with no code', async () => {
    const slow = await architectureFromAnswer(answer('function buildModel(tf) { const t = Date.now(); while (Date.now() - t < 1000) {} }'), { ...opts, timeoutMs: 50 });
    expect(!slow.ok && slow.failure).toEqual({ class: 'timeout', message: expect.stringContaining('50 ms') });
    expect(slow.elapsedMs).toBeLessThan(900);
    const py = await architectureFromAnswer('```python\nimport torch\n```', opts);
    expect(!py.ok && py.failure.class).toBe('extraction');
    expect(py.code).toBeNull();
  });

  it('the code contract names every supported layer and the function signature', () => {
    expect(CODE_CONTRACT).toContain('function buildModel(tf, inputShape, numClasses)');
    for (const name of SUPPORTED_LAYERS) expect(CODE_CONTRACT).toContain(name);
  });

  it('runs 200 answers without growing the heap, and answers in milliseconds', async () => {
    const broken = answer('function buildModel(tf, inputShape, numClasses) {\n  const m = tf.sequential();\n  m.add(tf.layers.dense({ units: 10, inputShape: [7] }));\n  return m;\n}');
    for (let i = 0; i < 10; i++) await architectureFromAnswer(answer(MLP), opts); // warm-up
    const mod = await quickJSModule();
    const wasmBefore = mod.getWasmMemory().buffer.byteLength;
    const memBefore = process.memoryUsage();
    const okMs: number[] = [];
    const badMs: number[] = [];
    for (let i = 0; i < 100; i++) {
      const ok = await architectureFromAnswer(answer(SEQUENTIAL_CNN), opts);
      const bad = await architectureFromAnswer(broken, opts);
      expect(ok.ok).toBe(true);
      expect(!bad.ok && bad.failure.class).toBe('shape');
      okMs.push(ok.elapsedMs);
      badMs.push(bad.elapsedMs);
    }
    const memAfter = process.memoryUsage();
    const growthMiB = (memAfter.rss - memBefore.rss) / 2 ** 20;
    const wasmGrowthMiB = (mod.getWasmMemory().buffer.byteLength - wasmBefore) / 2 ** 20;
    console.log(`sandbox latency: valid answer median ${median(okMs).toFixed(1)} ms, broken answer median ${median(badMs).toFixed(1)} ms; ` +
      `over 200 runs: wasm heap growth ${wasmGrowthMiB.toFixed(1)} MiB, rss growth ${growthMiB.toFixed(1)} MiB`);
    // Disposed runtimes give their wasm heap back for reuse: a leak per run would grow it linearly.
    expect(await quickJSModule()).toBe(mod);
    expect(wasmGrowthMiB).toBeLessThan(4);
    expect(growthMiB).toBeLessThan(64);
    expect(median(okMs)).toBeLessThan(250);
  });
});
