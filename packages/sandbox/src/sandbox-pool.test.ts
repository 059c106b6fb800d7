import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { SandboxOptionsError, SandboxUnavailableError } from './errors.ts';
import { runSandboxed } from './run-sandboxed.ts';
import { createSandboxPool, type SandboxPool } from './sandbox-pool.ts';
import { MLP, RESIDUAL } from './fixtures/valid-models.ts';

const task = { inputShape: [16, 16, 3] as [number, number, number], numClasses: 10, timeoutMs: 60_000 };
const wrap = (body: string): string => `function buildModel(tf, inputShape, numClasses) {\n${body}\n}`;
const fixture = (name: string): URL => new URL(`./fixtures/${name}`, import.meta.url);
const pools: SandboxPool[] = [];
function pool(options: Parameters<typeof createSandboxPool>[0] = {}): SandboxPool {
  const p = createSandboxPool(options);
  pools.push(p);
  return p;
}
afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.close()));
});

describe('createSandboxPool', () => {
  it('a worker that crashes or throws mid-job gives a classified failure and is replaced', async () => {
    const p = pool({ size: 1, workerUrl: fixture('crashing-worker.js') });
    for (const marker of ['CRASH_WORKER', 'THROW_IN_WORKER']) {
      const r = await runSandboxed(wrap(`// ${marker}\nreturn 1;`), task, p);
      expect(!r.ok && r.failure).toEqual({ class: 'sandbox-runtime', message: expect.stringContaining('the sandbox worker stopped unexpectedly') });
      expect((await runSandboxed(RESIDUAL, task, p)).ok).toBe(true);
    }
    expect(p.stats().retired.crash).toBe(2);
    expect(p.stats().live).toBe(1);
  }, 120_000);

  it('runs jobs on every worker at once and keeps them warm', async () => {
    const p = pool({ size: 2 });
    const results = await Promise.all([RESIDUAL, MLP, RESIDUAL, MLP, RESIDUAL].map((code) => runSandboxed(code, task, p)));
    expect(results.every((r) => r.ok)).toBe(true);
    expect(p.stats()).toMatchObject({ live: 2, started: 2, retired: { timeout: 0, memory: 0, engine: 0, crash: 0 } });
  }, 120_000);

  it('a job queued behind a stuck one runs once the stuck worker is replaced', async () => {
    const p = pool({ size: 1 });
    const stuck = runSandboxed(wrap('Array.prototype.indexOf.call({ length: 2 ** 53 - 1 }, 1);'), { ...task, timeoutMs: 500 }, p);
    const next = runSandboxed(RESIDUAL, task, p);
    expect((await stuck).ok).toBe(false);
    expect((await next).ok).toBe(true);
  }, 120_000);

  it('a worker that cannot start fails the waiting jobs as unavailable instead of retrying forever', async () => {
    const p = pool({ size: 1, workerUrl: fixture('broken-worker.js') });
    await expect(runSandboxed(RESIDUAL, task, p)).rejects.toThrow(SandboxUnavailableError);
    await expect(p.warm()).rejects.toThrow(/failed to start: .*no engine here/);
  }, 120_000);

  it('after close, runs are refused as unavailable', async () => {
    const p = pool({ size: 1 });
    expect((await runSandboxed(MLP, task, p)).ok).toBe(true);
    await p.close();
    expect(p.stats().live).toBe(0);
    await expect(runSandboxed(MLP, task, p)).rejects.toThrow(/closed/);
  }, 120_000);

  it('bad pool options are a caller error naming the option', () => {
    expect(() => createSandboxPool({ size: 0 })).toThrow(SandboxOptionsError);
    expect(() => createSandboxPool({ graceMs: -1 })).toThrow(/graceMs/);
  });

  it('idle workers of the shared pool do not keep a process alive', async () => {
    // A child process that answers once through the shared pool and then has nothing left to do.
    const script = [
      `const { architectureFromAnswer } = await import(${JSON.stringify(new URL('./index.ts', import.meta.url).href)});`,
      `const r = await architectureFromAnswer(${JSON.stringify(`\`\`\`js\n${MLP}\n\`\`\``)}, { inputShape: [8, 8, 3], numClasses: 5, timeoutMs: 60000 });`,
      'console.log(JSON.stringify({ ok: r.ok }));',
    ].join('\n');
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { timeout: 100_000 });
    expect(JSON.parse(stdout.trim())).toEqual({ ok: true });
  }, 120_000);
});
