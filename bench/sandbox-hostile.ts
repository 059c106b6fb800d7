/**
 * Benchmark (not a test): the sandbox pool against hostile answers. Prints, for each hostile fixture,
 * the time to its classification against the target (the run's timeoutMs + 0.5 s, PASS/FAIL); the
 * process RSS at start, its peak and after N memory bombs (target: back within 50 MiB of the start);
 * and the median / p95 of a valid answer through the pool (target < 20 ms) next to the old in-process
 * path. Runs with --expose-gc (see the npm script) so that "after" is measured past a full GC.
 *
 *   npm run bench:sandbox -- [--bombs 100] [--valid 200] [--timeout-ms 1000] [--pool-size 2]
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { architectureFromAnswer, createSandboxPool, extractCode, runSandboxedInProcess } from '@nasfleet/sandbox';
import { HOSTILE_ANSWERS } from '@nasfleet/sandbox/fixtures/hostile/hostile-answers.ts';
import { SEQUENTIAL_CNN } from '@nasfleet/sandbox/fixtures/valid-models.ts';

const { values } = parseArgs({
  options: {
    bombs: { type: 'string', default: '100' },
    valid: { type: 'string', default: '200' },
    'timeout-ms': { type: 'string', default: '1000' },
    'pool-size': { type: 'string', default: '2' },
  },
});
const BOMBS = Number(values.bombs);
const VALID = Number(values.valid);
const TIMEOUT_MS = Number(values['timeout-ms']);
const task = { inputShape: [32, 32, 3] as [number, number, number], numClasses: 10, timeoutMs: TIMEOUT_MS };
const validAnswer = `Here is my network.\n\n\`\`\`javascript\n${SEQUENTIAL_CNN}\n\`\`\`\n`;

const MiB = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
const pct = (xs: number[], p: number): number => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))] ?? NaN;
const verdict = (ok: boolean): string => (ok ? 'PASS' : 'FAIL');
const gc = (globalThis as { gc?: () => void }).gc;

async function settledRss(): Promise<number> {
  // Terminated workers free their wasm memory as their threads exit: give them a moment, then collect.
  await sleep(500);
  gc?.();
  await sleep(200);
  return process.memoryUsage().rss;
}

let peak = 0;
const sampler = setInterval(() => {
  peak = Math.max(peak, process.memoryUsage().rss);
}, 10);

const rssBeforePool = await settledRss();
const pool = createSandboxPool({ size: Number(values['pool-size']) });
await pool.warm();
for (let i = 0; i < 20; i++) await architectureFromAnswer(validAnswer, task, pool); // JIT warm-up
const rssStart = await settledRss();
peak = rssStart;
console.log(`sandbox pool: ${pool.stats().live} warm workers, timeoutMs ${TIMEOUT_MS}, hard deadline timeoutMs + 250 ms grace; gc ${gc ? 'forced (--expose-gc)' : 'not exposed'}`);
console.log(`RSS before the pool ${MiB(rssBeforePool)}, with the warm pool (start) ${MiB(rssStart)}\n`);

console.log(`time to classification, target ${TIMEOUT_MS + 500} ms (timeoutMs + 0.5 s):`);
let allClassified = true;
for (const h of HOSTILE_ANSWERS) {
  await pool.warm(); // time the answer, not the replacement of the worker the previous one cost
  const t0 = performance.now();
  const r = await architectureFromAnswer(h.answer, task, pool);
  const ms = performance.now() - t0;
  const cls = r.ok ? 'ok (!)' : r.failure.class;
  const ok = !r.ok && ms <= TIMEOUT_MS + 500;
  allClassified &&= ok;
  console.log(`  ${verdict(ok)} ${h.name.padEnd(36)} ${cls.padEnd(10)} ${ms.toFixed(0).padStart(6)} ms  (${(ms / (TIMEOUT_MS + 500)).toFixed(2)} of target)`);
}

const bombs = HOSTILE_ANSWERS.filter((h) => h.kind === 'bomb');
const classes = new Map<string, number>();
const t0 = performance.now();
for (let i = 0; i < BOMBS; i++) {
  const h = bombs[i % bombs.length];
  if (!h) break;
  const r = await architectureFromAnswer(h.answer, task, pool);
  const cls = r.ok ? 'ok' : r.failure.class;
  classes.set(cls, (classes.get(cls) ?? 0) + 1);
}
const bombSeconds = (performance.now() - t0) / 1000;
await pool.warm();
const rssAfter = await settledRss();
const grew = rssAfter - rssStart;
console.log(`\n${BOMBS} memory bombs (${bombs.length} shapes) in ${bombSeconds.toFixed(1)} s: ${[...classes].map(([c, n]) => `${c} ${n}`).join(', ')}; workers retired ${JSON.stringify(pool.stats().retired)}`);
console.log(`RSS start ${MiB(rssStart)}, peak ${MiB(peak)} (${(peak / rssStart).toFixed(2)}x), after ${MiB(rssAfter)} (${grew >= 0 ? '+' : ''}${MiB(grew)})`);
console.log(`  ${verdict(grew <= 50 * 2 ** 20)} RSS after ${BOMBS} bombs within 50 MiB of start`);

const poolMs: number[] = [];
for (let i = 0; i < VALID; i++) {
  const r = await architectureFromAnswer(validAnswer, task, pool);
  if (!r.ok) throw new Error(`a valid answer failed: ${r.failure.message}`);
  poolMs.push(r.elapsedMs);
}
const inProcessMs: number[] = [];
for (let i = 0; i < VALID + 20; i++) {
  const t = performance.now();
  const found = extractCode(validAnswer);
  if (!found.ok) throw new Error('extraction failed');
  const r = await runSandboxedInProcess(found.code, task);
  if (!r.ok) throw new Error(`a valid answer failed in process: ${r.failure.message}`);
  if (i >= 20) inProcessMs.push(performance.now() - t); // the first 20 warm the in-process module up
}
const [pm, p95, im, i95] = [pct(poolMs, 0.5), pct(poolMs, 0.95), pct(inProcessMs, 0.5), pct(inProcessMs, 0.95)];
console.log(`\nvalid answer (${VALID} runs): pool median ${pm.toFixed(1)} ms, p95 ${p95.toFixed(1)} ms; in-process median ${im.toFixed(1)} ms, p95 ${i95.toFixed(1)} ms; pool/in-process ${(pm / im).toFixed(2)}x`);
console.log(`  ${verdict(pm < 20)} valid answer median through the pool under 20 ms`);
console.log(`  ${verdict(allClassified)} every hostile answer classified within timeoutMs + 0.5 s`);

clearInterval(sampler);
await pool.close();
