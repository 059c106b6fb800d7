import { searchWithSimTrainers } from './bench-context.ts';
import type { BenchContext, MeasuredRun } from './bench-context.ts';
import { describeCpu } from './cpu-usage.ts';
import { steadyState, workersSeen } from './intervals.ts';
import type { SteadyState } from './intervals.ts';
import { depthFor } from './phase-p2.ts';
import { SLOW_LLM_MODEL } from './slow-llm.ts';
import type { SlowLlm } from './slow-llm.ts';

export interface P7Result {
  workers: number;
  sleepMs: number;
  llmLatencyMs: number;
  llmConcurrency: number;
  depth: number;
  run: MeasuredRun;
  trained: number;
  seen: number;
  /** LLM answers the double gave during the search, and their mean and longest time (ms). */
  llmAnswers: { count: number; meanMs: number; maxMs: number };
  /** The LLM worker's jobs of this search (render, LLM call, check, publish), from its job log: count, mean and longest (ms). */
  llmJobs: { count: number; meanMs: number; maxMs: number };
  steady: SteadyState;
}

/**
 * P7: a code-space search whose answers come from a real LLM worker calling the Ollama double over
 * HTTP (`provider: 'ollama'`), which takes `sleepMs / 2` per answer, while `workers` simulated
 * training workers sleep `sleepMs` per job. The busy fraction is the training workers' time inside
 * their handlers over workers × the steady-state window. Left out: the first `depth` training jobs
 * (the first ask fills the depth before anything is told, so those candidates are the strategy's
 * random samples, made by the rule operator without the LLM) and the last `workers` (the drain).
 */
export async function runP7(ctx: BenchContext, o: { workers: number; sleepMs: number; evaluations: number; llmConcurrency: number; llm: SlowLlm; llmJobs: readonly string[] }): Promise<P7Result> {
  const depth = depthFor(o.workers, o.llmConcurrency);
  const llm = { provider: 'ollama' as const, endpoint: o.llm.double.url, generatorModel: SLOW_LLM_MODEL };
  ctx.progress(`P7: code-space search, ${o.evaluations} evaluations, ${o.workers} training workers × ${o.sleepMs} ms, LLM ${o.sleepMs / 2} ms per answer, depth ${depth}`);
  const before = o.llm.latencies.length;
  const { run, intervals } = await searchWithSimTrainers(ctx, 'p7', { workers: o.workers, sleepMs: o.sleepMs, evaluations: o.evaluations, depth, llm });
  return {
    workers: o.workers, sleepMs: o.sleepMs, llmLatencyMs: o.sleepMs / 2, llmConcurrency: o.llmConcurrency, depth, run,
    trained: intervals.length, seen: workersSeen(intervals), steady: steadyState(intervals, o.workers, depth, o.workers),
    llmAnswers: summary(o.llm.latencies.slice(before)),
    // The worker logs `llm job generate|<search>|<candidate> completed (try 1/3, 512 ms): …` per job.
    llmJobs: summary(o.llmJobs.filter((l) => l.includes(`generate|${run.id}|`)).flatMap((l) => /completed \(try \d+\/\d+, (\d+) ms\)/.exec(l)?.[1] ?? []).map(Number)),
  };
}

function summary(ms: number[]): { count: number; meanMs: number; maxMs: number } {
  return { count: ms.length, meanMs: ms.length ? ms.reduce((a, b) => a + b, 0) / ms.length : 0, maxMs: ms.length ? Math.max(...ms) : 0 };
}

/** The report lines of P7 (without the final P7 line). */
export function describeP7(r: P7Result): string[] {
  const st = r.steady;
  return [
    `${r.workers} training workers × T = ${r.sleepMs} ms; LLM (Ollama double over HTTP) ${r.llmLatencyMs} ms per answer, LLM worker concurrency ${r.llmConcurrency}; depth ${r.depth}`,
    `${r.run.told} told (${r.trained} trained on ${r.seen} workers, ${r.run.duplicates} duplicates, ${r.run.failed} failed) in ${r.run.seconds.toFixed(2)} s = ${r.run.rate.toFixed(2)} candidates/s`,
    `LLM answers: ${r.llmAnswers.count} (the first ${r.depth} candidates are random samples, which need none), mean ${r.llmAnswers.meanMs.toFixed(0)} ms, longest ${r.llmAnswers.maxMs.toFixed(0)} ms;` +
      ` LLM worker jobs: ${r.llmJobs.count}, mean ${r.llmJobs.meanMs.toFixed(0)} ms, longest ${r.llmJobs.maxMs.toFixed(0)} ms`,
    `steady state (the first ${st.skipped.head} training jobs, those of the random samples, and the last ${st.skipped.tail} left out): ${st.completions} trained in ${st.seconds.toFixed(2)} s = ${st.rate.toFixed(2)} candidates/s (ideal ${(r.workers * 1000 / r.sleepMs).toFixed(2)}); handler time / (${r.workers} × window) = ${(100 * st.busy).toFixed(1)}%`,
    `  CPU: ${describeCpu(r.run.cpu, r.run.seconds)}`,
  ];
}
