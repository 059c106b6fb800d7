/**
 * Benchmark (not a test): every strategy and ablation on the NAS-Bench-201 table with the rule-based
 * operator at each operator level (neutral: uniform edits, the measure of a strategy; expert: a
 * stand-in for an LLM's prior) and parallelism (1, 16 and 100 candidates in flight, steady state and
 * generational, results returning in a seeded realistic order). Prints per setting the median and
 * 95% range of evaluations and of distinct trainings to a first top-0.1% cell (by 200-epoch
 * validation), the 200-epoch test accuracy at 500 and at the budget, coverage and duplicates, then
 * the targets as PASS/FAIL lines. Progress, one line per finished search, goes to stderr.
 *
 *   npm run bench:nb201 -- --help
 */
import { parseBenchOptions, USAGE } from './nb201/bench-options.ts';
import { parallelismLabel } from './nb201/jobs.ts';
import type { Job } from './nb201/jobs.ts';
import { runPool } from './nb201/pool.ts';
import { printTables, printTargets, REFERENCE_LINES, Results } from './nb201/report.ts';
import { VARIANTS } from './nb201/variants.ts';

async function main(): Promise<void> {
  const o = parseBenchOptions(process.argv.slice(2));
  if (o.help) return void console.log(USAGE);
  const jobs: Job[] = [];
  for (const operator of o.operators) for (const parallelism of o.parallelisms) for (const dataset of o.datasets) for (const variant of o.variants) {
    for (let seed = o.seedOffset; seed < o.seedOffset + o.seeds; seed++) jobs.push({ variant, operator, parallelism, dataset, signal: o.signal, seed, evaluations: o.evaluations });
  }
  const t0 = performance.now();
  const results = await runPool(jobs, o.workers, (r, done) => {
    // Progress on stderr, so stdout stays the tables (a full run takes a while).
    process.stderr.write(`[${done}/${jobs.length}] ${VARIANTS[r.variant]!.name} ${r.operator} ${parallelismLabel(r.parallelism)} ${r.dataset} seed ${r.seed}: ${(r.ms / 1000).toFixed(1)} s\n`);
  });
  const wall = (performance.now() - t0) / 1000;
  REFERENCE_LINES.forEach((l) => console.log(l));
  const all = new Results(results);
  printTables(all, o);
  printTargets(all, o);
  const cpu = results.reduce((s, r) => s + r.ms, 0) / 1000;
  console.log(`\n${jobs.length} searches × ${o.evaluations} evaluations in ${wall.toFixed(0)} s wall (${cpu.toFixed(0)} s of search time on ${o.workers} workers; ${((cpu * 1e6) / (jobs.length * o.evaluations)).toFixed(0)} µs per evaluation)`);
}

// A bad option is one line, not a stack.
await main().catch((error: unknown) => {
  console.error(`error: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
