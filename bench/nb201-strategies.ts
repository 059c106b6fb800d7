/**
 * Benchmark (not a test): every strategy and ablation on the NAS-Bench-201 table with the rule-based
 * operator, S seeds × E evaluations on CIFAR-10, CIFAR-100 and ImageNet16-120, under two protocols
 * (the search sees 200-epoch or 12-epoch validation accuracy; we report the 200-epoch test accuracy
 * of the cell with the best seen validation). Prints mean ± std test accuracy at 500 and E
 * evaluations next to the paper's Table 1, the median evaluations to a top-0.1% cell (by 200-epoch
 * validation), archive coverage, and the issue's targets as PASS/FAIL lines. Progress, one line per
 * finished search (`[k/n] strategy dataset signal seed s`), goes to stderr.
 *
 *   npm run bench:nb201 -- [--seeds 10] [--evaluations 2000] [--protocol val200|val12|both] [--workers 2] [--variants a,b]
 */
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { Worker, isMainThread, parentPort } from 'node:worker_threads';
import { loadNb201Table, runNb201Search } from '@nasfleet/nb201';
import type { Nb201Dataset, Nb201Signal, Nb201Table } from '@nasfleet/nb201';
import { loadPrompts, promptChoices } from '@nasfleet/prompts';
import type { SearchConfigInput } from '@nasfleet/search';

type Variant = { name: string; config: Omit<SearchConfigInput, 'networkArchive' | 'seed'> };
const VARIANTS: Variant[] = [
  { name: 'random', config: { strategy: 'random' } },
  { name: 'regularized-evolution', config: { strategy: 'regularized-evolution' } },
  { name: 'llmatic', config: { strategy: 'llmatic' } },
  ...(['network-archive-only', 'prompt-archive-only', 'mutation-only', 'crossover-only', 'random-generation'] as const).map((ablation) => ({
    name: `llmatic/${ablation}`, config: { strategy: 'llmatic' as const, llmatic: { ablation } },
  })),
  { name: 'hybrid', config: { strategy: 'hybrid' } },
  { name: 'feedback-memory', config: { strategy: 'feedback-memory' } },
  { name: 'feedback-memory/no-improver', config: { strategy: 'feedback-memory', memory: { improver: false } } },
  { name: 'feedback-memory/no-reference', config: { strategy: 'feedback-memory', memory: { reference: false } } },
  { name: 'feedback-memory/no-history', config: { strategy: 'feedback-memory', memory: { history: false } } },
];
const DATASETS: Nb201Dataset[] = ['cifar10', 'cifar100', 'imagenet16-120'];
const PAPER: Record<string, [number, number, number, string]> = {
  'random search (paper)': [93.7, 71.04, 44.57, '±0.36 / ±1.07 / ±1.25'],
  'GENIUS (GPT-4)': [93.79, 70.91, 44.96, '±0.09 / ±0.72 / ±1.02'],
  'Λ-DARTS': [94.36, 73.51, 46.34, ''],
  'LLMatic (paper)': [94.26, 71.62, 45.87, '±0.13 / ±1.73 / ±0.96'],
  'optimum of our table': [94.37, 73.51, 47.31, ''],
};

interface Job { variant: number; dataset: Nb201Dataset; signal: Nb201Signal; seed: number; evaluations: number }
interface JobResult extends Job { at500: number | null; atEnd: number | null; hit: number | null; coverage: number; failures: number; ms: number }

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      seeds: { type: 'string', default: '10' }, evaluations: { type: 'string', default: '2000' },
      protocol: { type: 'string', default: 'both' }, workers: { type: 'string', default: String(Math.min(2, cpus().length)) },
      variants: { type: 'string' },
    },
  });
  const seeds = Number(values.seeds);
  const evaluations = Number(values.evaluations);
  const workers = Number(values.workers);
  if (!(seeds > 0) || !(evaluations >= 500) || !(workers > 0)) throw new Error('--seeds and --workers must be positive, --evaluations at least 500');
  const signals: Nb201Signal[] = values.protocol === 'both' ? ['val200', 'val12'] : [values.protocol as Nb201Signal];
  if (!signals.every((s) => s === 'val200' || s === 'val12')) throw new Error('--protocol must be val200, val12 or both');
  const wanted = values.variants === undefined ? null : new Set(values.variants.split(','));
  const unknown = wanted ? [...wanted].filter((w) => !VARIANTS.some((v) => v.name === w)) : [];
  if (unknown.length) throw new Error(`unknown --variants ${unknown.join(', ')}; known: ${VARIANTS.map((v) => v.name).join(', ')}`);
  const jobs: Job[] = [];
  for (const signal of signals) for (const dataset of DATASETS) for (let v = 0; v < VARIANTS.length; v++) for (let seed = 0; seed < seeds; seed++) {
    if (wanted && !wanted.has(VARIANTS[v]!.name)) continue;
    jobs.push({ variant: v, dataset, signal, seed, evaluations });
  }
  const t0 = performance.now();
  const results = await runPool(jobs, workers);
  const wall = (performance.now() - t0) / 1000;
  const table = loadNb201Table();
  for (const signal of signals) printProtocol(results.filter((r) => r.signal === signal), signal, evaluations, seeds, table);
  const cpu = results.reduce((s, r) => s + r.ms, 0) / 1000;
  console.log(`\n${jobs.length} searches × ${evaluations} evaluations in ${wall.toFixed(0)} s wall (${cpu.toFixed(0)} s of search time on ${workers} workers; ${((cpu * 1e6) / (jobs.length * evaluations)).toFixed(0)} µs per evaluation)`);
}

function runPool(jobs: Job[], size: number): Promise<JobResult[]> {
  return new Promise((resolve, reject) => {
    const results: JobResult[] = [];
    let next = 0;
    let live = size;
    for (let w = 0; w < size; w++) {
      // A worker cannot load .ts by itself: register tsx's loader inside it, then import this file.
      const worker = new Worker(`import('tsx/esm/api').then((m) => m.register()).then(() => import(${JSON.stringify(import.meta.url)}))`, { eval: true });
      const feed = () => worker.postMessage(next < jobs.length ? jobs[next++] : null);
      worker.on('message', (r: JobResult) => {
        results.push(r);
        // Progress on stderr, so stdout stays the tables (a full run is minutes).
        process.stderr.write(`[${results.length}/${jobs.length}] ${VARIANTS[r.variant]!.name} ${r.dataset} ${r.signal} seed ${r.seed}: ${(r.ms / 1000).toFixed(1)} s\n`);
        feed();
      });
      worker.on('error', reject);
      worker.on('exit', () => (--live === 0 ? resolve(results) : undefined));
      feed();
    }
  });
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const std = (xs: number[]) => Math.sqrt(mean(xs.map((x) => (x - mean(xs)) ** 2)));
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const fmt = (xs: (number | null)[]) => {
  const v = xs.filter((x): x is number => x !== null);
  return v.length ? `${mean(v).toFixed(2)} ± ${std(v).toFixed(2)}` : 'n/a';
};

/** Median evaluations to a top cell; runs that never found one count as "more than E" (Infinity). */
function medianHit(rs: JobResult[]): number {
  return median(rs.map((r) => r.hit ?? Infinity));
}

function printProtocol(results: JobResult[], signal: Nb201Signal, evaluations: number, seeds: number, table: Nb201Table): void {
  console.log(`\n=== protocol: the search sees ${signal === 'val200' ? '200' : '12'}-epoch validation accuracy; reported: 200-epoch test accuracy of its best cell (${seeds} seeds) ===`);
  const head = ['strategy', ...DATASETS.flatMap((d) => [`${d} @500`, `@${evaluations}`, 'top-0.1% at', 'cover'])];
  const rows: string[][] = [];
  for (const [name, [c10, c100, in16, spread]] of Object.entries(PAPER)) {
    rows.push([name, `${c10}`, '', '', '', `${c100}`, '', '', '', `${in16}`, spread, '', '']);
  }
  // What a perfect optimiser of the signal reports: the test accuracy of the best cell by that signal.
  // A search that finds the validation optimum can score below one that stops near it.
  const oracle = DATASETS.map((d) => table.value(table.best(d, signal).index, d, 'test200').toFixed(2));
  rows.push([`exhaustive search (best ${signal})`, oracle[0]!, '', '', '', oracle[1]!, '', '', '', oracle[2]!, '', '', '']);
  VARIANTS.forEach((variant, v) => {
    if (!results.some((r) => r.variant === v)) return;
    const row = [variant.name];
    for (const d of DATASETS) {
      const rs = results.filter((r) => r.variant === v && r.dataset === d);
      const hit = medianHit(rs);
      row.push(fmt(rs.map((r) => r.at500)), fmt(rs.map((r) => r.atEnd)), Number.isFinite(hit) ? `${hit}` : `>${evaluations}`, `${(100 * mean(rs.map((r) => r.coverage))).toFixed(0)}%`);
    }
    rows.push(row);
  });
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  console.log(line(head));
  for (const r of rows) console.log(line(r));

  const of = (name: string, d: Nb201Dataset) => results.filter((r) => r.variant === VARIANTS.findIndex((v) => v.name === name) && r.dataset === d);
  if (!['hybrid', 'llmatic', 'random', 'regularized-evolution'].every((n) => of(n, 'cifar10').length)) return;
  console.log('\ntargets:');
  for (const d of DATASETS) {
    const h = medianHit(of('hybrid', d));
    console.log(`  ${h <= 120 ? 'PASS' : 'FAIL'} hybrid median evaluations to a top-0.1% cell on ${d}: ${Number.isFinite(h) ? h : `>${evaluations}`} (target ≤ 120; regularized evolution ${medianHit(of('regularized-evolution', d))}, random ${medianHit(of('random', d))})`);
  }
  const h500 = mean(of('hybrid', 'cifar10').map((r) => r.at500 ?? 0));
  console.log(`  ${h500 >= 94.35 ? 'PASS' : 'FAIL'} hybrid CIFAR-10 test accuracy at 500 evaluations: ${h500.toFixed(2)} (target ≥ 94.35)`);
  for (const d of DATASETS) {
    for (const at of ['at500', 'atEnd'] as const) {
      const l = mean(of('llmatic', d).map((r) => r[at] ?? 0));
      const r = mean(of('random', d).map((x) => x[at] ?? 0));
      console.log(`  ${l > r ? 'PASS' : 'FAIL'} llmatic beats random on ${d} at ${at === 'at500' ? 500 : evaluations}: ${l.toFixed(2)} vs ${r.toFixed(2)}`);
    }
  }
  const cover = mean(of('llmatic', 'cifar10').map((r) => r.coverage));
  console.log(`  info: llmatic's archive covers ${(100 * cover).toFixed(0)}% of 100 niches on CIFAR-10 (the full table reaches 85%)`);
}

if (!isMainThread) {
  const table = loadNb201Table();
  const prompts = loadPrompts();
  parentPort!.on('message', async (job: Job | null) => {
    if (job === null) return process.exit(0);
    const t0 = performance.now();
    const report = await runNb201Search({
      table, dataset: job.dataset, signal: job.signal, config: { ...VARIANTS[job.variant]!.config, seed: job.seed },
      prompts: promptChoices(prompts.mutations), crossoverPrompt: prompts.crossover, evaluations: job.evaluations,
      checkpoints: [500, job.evaluations],
    });
    const result: JobResult = {
      ...job, at500: report.atCheckpoint[500]?.test200 ?? null, atEnd: report.atCheckpoint[job.evaluations]?.test200 ?? null,
      hit: report.firstTopHit, coverage: report.coverage, failures: report.failures, ms: performance.now() - t0,
    };
    parentPort!.postMessage(result);
  });
} else {
  // A bad option is one line, not a stack.
  await main().catch((error: unknown) => {
    console.error(`error: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  });
}
