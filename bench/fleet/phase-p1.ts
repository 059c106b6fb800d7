import { measureBareBullmq } from './bare-bullmq.ts';
import type { BareRun } from './bare-bullmq.ts';
import { benchSearch, NB201_SPACE } from './bench-context.ts';
import type { BenchContext, MeasuredRun } from './bench-context.ts';
import { describeCpu } from './cpu-usage.ts';
import { describeTraffic } from './redis-traffic.ts';

/** P1's figures: bare BullMQ, the NB201 pipeline, and the cost of a candidate in bare jobs. */
export interface P1Result {
  bare: BareRun;
  /** The same with the worker at the pipeline's LLM-worker concurrency (for comparison only). */
  bareConcurrent: BareRun;
  pipeline: MeasuredRun;
  depth: number;
  /** (1 / candidates per s) / (1 / bare jobs per s). */
  ratio: number;
}

/**
 * P1: bare BullMQ jobs/s (worker concurrency 1, as the orchestrator's results consumer; and at the
 * LLM worker's concurrency, for comparison), then an NB201 search through the real orchestrator and
 * LLM worker (rule provider: the instant LLM; the table look-up: the instant trainer), after an
 * unmeasured warm-up search (the orchestrator reads the table and both processes warm up). The
 * ratio is against the faster of the two bare figures, so a slow bare setting cannot flatter it.
 */
export async function runP1(ctx: BenchContext, o: { bareJobs: number; evaluations: number; depth: number; llmConcurrency: number; warmup: number }): Promise<P1Result> {
  ctx.progress(`P1: bare BullMQ, ${o.bareJobs} jobs, concurrency 1`);
  const bare = await measureBareBullmq({ redisUrl: ctx.redisUrl, queueConfig: ctx.queueConfig, jobs: o.bareJobs, concurrency: 1, name: 'bare-c1' });
  ctx.progress(`P1: bare BullMQ, ${o.bareJobs} jobs, concurrency ${o.llmConcurrency}`);
  const bareConcurrent = await measureBareBullmq({ redisUrl: ctx.redisUrl, queueConfig: ctx.queueConfig, jobs: o.bareJobs, concurrency: o.llmConcurrency, name: `bare-c${o.llmConcurrency}` });
  ctx.progress(`P1: warm-up NB201 search (${o.warmup} evaluations, not measured)`);
  await benchSearch(ctx, 'p1-warmup', { space: NB201_SPACE, evaluations: o.warmup, depth: o.depth, llm: { provider: 'rule' } });
  ctx.progress(`P1: NB201 search, ${o.evaluations} evaluations, depth ${o.depth}`);
  const pipeline = await benchSearch(ctx, 'p1', { space: NB201_SPACE, evaluations: o.evaluations, depth: o.depth, llm: { provider: 'rule' } });
  const fastestBare = Math.max(bare.rate, bareConcurrent.rate);
  return { bare, bareConcurrent, pipeline, depth: o.depth, ratio: fastestBare / pipeline.rate };
}

/** The report lines of P1 (without the final P1 line). */
export function describeP1(r: P1Result): string[] {
  const bareLine = (b: BareRun) => `${b.jobs} jobs in ${b.seconds.toFixed(2)} s = ${b.rate.toFixed(0)} jobs/s (worker concurrency ${b.concurrency}); Redis: ${describeTraffic(b.traffic, b.jobs, 'job')}`;
  const p = r.pipeline;
  return [
    `bare BullMQ: ${bareLine(r.bare)}`,
    `bare BullMQ: ${bareLine(r.bareConcurrent)}`,
    `NB201 pipeline (rule provider, inline look-up, depth ${r.depth}): ${p.told} candidates told in ${p.seconds.toFixed(2)} s (submit → done) = ${p.rate.toFixed(1)} candidates/s` +
      ` (${p.duplicates} duplicates, ${p.failed} failed)`,
    `  ratio = ${(1000 / p.rate).toFixed(2)} ms per candidate / ${(1000 / Math.max(r.bare.rate, r.bareConcurrent.rate)).toFixed(2)} ms per bare job (the faster bare figure) = ${r.ratio.toFixed(2)}`,
    `  CPU in that window: ${describeCpu(p.cpu, p.seconds, { count: p.told, unit: 'candidate' })}`,
    `  Redis in that window: ${describeTraffic(p.traffic, p.told, 'candidate')}; the final snapshot is ${(p.snapshotBytes / 1000).toFixed(0)} kB (rewritten every SNAPSHOT_EVERY tells, the orchestrator's default)`,
  ];
}
