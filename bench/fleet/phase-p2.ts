import { searchWithSimTrainers } from './bench-context.ts';
import type { BenchContext, MeasuredRun } from './bench-context.ts';
import { describeCpu } from './cpu-usage.ts';
import { describeTraffic } from './redis-traffic.ts';
import { steadyState, workersSeen } from './intervals.ts';
import type { SteadyState } from './intervals.ts';

/** The code-space pipeline with instant training: what the LLM + check + orchestrator side can supply. */
export interface Supply {
  run: MeasuredRun;
  workers: number;
  depth: number;
}

/** One N of P2. */
export interface ScalingRow {
  workers: number;
  depth: number;
  run: MeasuredRun;
  /** Candidates trained (the rest were duplicates or failed their check and were told without training). */
  trained: number;
  /** Simulated workers that got at least one job. */
  seen: number;
  steady: SteadyState;
}

export interface P2Result {
  supply: Supply;
  sleepMs: number;
  /** Whether sleepMs was derived from the supply (else given by --train-ms). */
  derived: boolean;
  rows: ScalingRow[];
  /** Steady-state throughput at the largest N / (N × throughput at N = 1). */
  efficiency: number;
  /** The same from submit → done rates (ramp-up and drain included). */
  endToEndEfficiency: number;
}

/** Depth for N training workers: N training, N queued behind them, one per LLM-worker slot being generated. */
export const depthFor = (workers: number, llmConcurrency: number): number => 2 * workers + llmConcurrency;

/**
 * The supply side first: a code-space search (after an unmeasured warm-up) whose `workers`
 * simulated training workers return at once, so candidates/s is the LLM worker's generate + check
 * plus the orchestrator's two results per candidate, with training taking no time.
 */
export async function measureSupply(ctx: BenchContext, o: { workers: number; llmConcurrency: number; evaluations: number; warmup: number }): Promise<Supply> {
  const depth = depthFor(o.workers, o.llmConcurrency);
  ctx.progress(`P2: warm-up code-space search (${o.warmup} evaluations, not measured)`);
  await searchWithSimTrainers(ctx, 'p2-warmup', { workers: o.workers, sleepMs: 0, evaluations: o.warmup, depth });
  ctx.progress(`P2: supply: code-space search, ${o.evaluations} evaluations, ${o.workers} instant training workers, depth ${depth}`);
  const { run } = await searchWithSimTrainers(ctx, 'p2-supply', { workers: o.workers, sleepMs: 0, evaluations: o.evaluations, depth });
  return { run, workers: o.workers, depth };
}

/**
 * The sleep per training job that leaves the supply side 2× headroom at `workers` workers
 * (workers / T = half the measured supply), rounded up to 100 ms, at least 500 ms.
 */
export function sleepForSupply(supplyRate: number, workers: number): number {
  return Math.max(500, Math.ceil((1000 * workers) / (0.5 * supplyRate) / 100) * 100);
}

/**
 * P2: for each N, a code-space search of `perWorker` × N evaluations with N simulated training
 * workers sleeping `sleepMs` per job, depth 2N + LLM concurrency. Throughput is the steady state's
 * rate of training work done (see steadyState; the first and last N training jobs, the ramp-up and
 * the drain, left out); the submit → done rate is kept for comparison.
 */
export async function runP2(ctx: BenchContext, supply: Supply, o: { workers: number[]; perWorker: number; llmConcurrency: number; sleepMs?: number }): Promise<P2Result> {
  const sleepMs = o.sleepMs ?? sleepForSupply(supply.run.rate, Math.max(...o.workers));
  const rows: ScalingRow[] = [];
  for (const n of o.workers) {
    const depth = depthFor(n, o.llmConcurrency);
    ctx.progress(`P2: N = ${n}: ${o.perWorker * n} evaluations, ${sleepMs} ms per training job, depth ${depth}`);
    const { run, intervals } = await searchWithSimTrainers(ctx, `p2-n${n}`, { workers: n, sleepMs, evaluations: o.perWorker * n, depth });
    rows.push({ workers: n, depth, run, trained: intervals.length, seen: workersSeen(intervals), steady: steadyState(intervals, n, n) });
  }
  const first = rows[0]!;
  const last = rows.at(-1)!;
  const scale = last.workers / first.workers;
  return {
    supply, sleepMs, derived: o.sleepMs === undefined, rows,
    efficiency: last.steady.rate / (scale * first.steady.rate),
    endToEndEfficiency: last.run.rate / (scale * first.run.rate),
  };
}

/** The report lines of P2 (without the final P2 line). */
export function describeP2(r: P2Result): string[] {
  const s = r.supply.run;
  const lines = [
    `supply (code space, rule provider, ${r.supply.workers} training workers returning at once, depth ${r.supply.depth}): ${s.told} candidates in ${s.seconds.toFixed(2)} s = ${s.rate.toFixed(1)} candidates/s` +
      ` (${s.duplicates} duplicates, ${s.failed} failed)`,
    `  CPU: ${describeCpu(s.cpu, s.seconds, { count: s.told, unit: 'candidate' })}`,
    `  Redis: ${describeTraffic(s.traffic, s.told, 'candidate')}`,
    `training sleep T = ${r.sleepMs} ms per job${r.derived ? ` (derived: ${Math.max(...r.rows.map((x) => x.workers))} workers / T ≤ half the supply)` : ' (--train-ms)'}`,
  ];
  for (const row of r.rows) {
    const st = row.steady;
    lines.push(
      `N = ${String(row.workers).padStart(2)}: depth ${row.depth}, ${row.run.told} told (${row.trained} trained on ${row.seen} workers, ${row.run.duplicates} duplicates, ${row.run.failed} failed) in ${row.run.seconds.toFixed(2)} s = ${row.run.rate.toFixed(2)} candidates/s submit → done;` +
        ` steady state (first and last ${row.workers} jobs left out) ${st.completions} trained in ${st.seconds.toFixed(2)} s = ${st.rate.toFixed(2)} candidates/s (ideal ${(row.workers * 1000 / r.sleepMs).toFixed(2)}), busy ${(100 * st.busy).toFixed(1)}%`,
      `  CPU: ${describeCpu(row.run.cpu, row.run.seconds)}`,
    );
  }
  lines.push(`efficiency from submit → done rates (ramp-up and drain included): ${(100 * r.endToEndEfficiency).toFixed(1)}%`);
  return lines;
}
