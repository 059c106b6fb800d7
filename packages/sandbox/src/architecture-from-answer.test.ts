import { describe, expect, it } from 'vitest';
import { architectureFromAnswer } from './architecture-from-answer.ts';
import { SandboxOptionsError } from './errors.ts';
import { createSandboxPool } from './sandbox-pool.ts';
import { CODE_CONTRACT, SUPPORTED_LAYERS } from './code-contract.ts';
import { MLP, RESIDUAL, SEQUENTIAL_CNN } from './fixtures/valid-models.ts';

// A wide wall clock: a loaded machine must not turn a valid answer into 'timeout'.
const opts = { inputShape: [32, 32, 3] as [number, number, number], numClasses: 10, timeoutMs: 60_000 };
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
    const slow = await architectureFromAnswer(answer('function buildModel(tf) { const t = Date.now(); while (Date.now() - t < 60000) {} }'), { ...opts, timeoutMs: 50 });
    expect(!slow.ok && slow.failure).toEqual({ class: 'timeout', message: expect.stringContaining('50 ms limit') });
    const loop = await architectureFromAnswer(answer('function buildModel(tf) { for (;;) {} }'), { ...opts, maxSteps: 20 });
    expect(!loop.ok && loop.failure).toEqual({ class: 'timeout', message: expect.stringContaining('20 step limit') });
    const py = await architectureFromAnswer('```python\nimport torch\n```', opts);
    expect(!py.ok && py.failure.class).toBe('extraction');
    expect(py.code).toBeNull();
  });

  it('rejects bad options, its own included, as a caller error', async () => {
    await expect(architectureFromAnswer(answer(MLP), { ...opts, maxAnswerBytes: 0 })).rejects.toThrow(SandboxOptionsError);
    await expect(architectureFromAnswer(answer(MLP), { ...opts, numClasses: 0 })).rejects.toThrow(/numClasses/);
  });

  it('the code contract names every supported layer and the function signature', () => {
    expect(CODE_CONTRACT).toContain('function buildModel(tf, inputShape, numClasses)');
    for (const name of SUPPORTED_LAYERS) expect(CODE_CONTRACT).toContain(name);
  });

  it('runs 200 answers on one worker without growing its heap or replacing it', async () => {
    const pool = createSandboxPool({ size: 1 });
    try {
      const broken = answer('function buildModel(tf, inputShape, numClasses) {\n  const m = tf.sequential();\n  m.add(tf.layers.dense({ units: 10, inputShape: [7] }));\n  return m;\n}');
      for (let i = 0; i < 10; i++) await architectureFromAnswer(answer(MLP), opts, pool); // warm-up
      const heapBefore = pool.stats().maxHeapBytes;
      const okMs: number[] = [];
      const badMs: number[] = [];
      for (let i = 0; i < 100; i++) {
        const ok = await architectureFromAnswer(answer(SEQUENTIAL_CNN), opts, pool);
        const bad = await architectureFromAnswer(broken, opts, pool);
        expect(ok.ok).toBe(true);
        expect(!bad.ok && bad.failure.class).toBe('shape');
        okMs.push(ok.elapsedMs);
        badMs.push(bad.elapsedMs);
      }
      const growthMiB = (pool.stats().maxHeapBytes - heapBefore) / 2 ** 20;
      console.log(`sandbox latency through the pool: valid answer median ${median(okMs).toFixed(1)} ms, broken answer median ${median(badMs).toFixed(1)} ms; ` +
        `over 200 runs: wasm heap growth ${growthMiB.toFixed(1)} MiB`);
      // Disposed runtimes give their wasm heap back for reuse: a leak per run would grow it linearly.
      expect(growthMiB).toBeLessThan(4);
      expect(pool.stats()).toMatchObject({ started: 1, retired: { timeout: 0, memory: 0, engine: 0, crash: 0 } });
    } finally {
      await pool.close();
    }
  }, 120_000);
});
