import { measureBareBullmq } from './bare-bullmq.ts';
import type { BareRun } from './bare-bullmq.ts';
import { benchSearch, NB201_SPACE } from './bench-context.ts';
import type { BenchContext, MeasuredRun } from './bench-context.ts';
import { describeCpu, describeCpuPer } from './cpu-usage.ts';
import { describeTraffic } from './redis-traffic.ts';

/** One P1 round: bare BullMQ at both concurrencies, then the NB201 pipeline, back to back. */
export interface P1Round {
  bare: BareRun;
  /** The same with the worker at the pipeline's LLM-worker concurrency. */
  bareConcurrent: BareRun;
  pipeline: MeasuredRun;
  /** (1 / candidates per s) / (1 / bare jobs per s), against the faster bare figure of the round. */
  ratio: number;
}

/** P1's figures: the rounds, and the median round (by ratio). */
export interface P1Result {
  rounds: P1Round[];
  median: P1Round;
  depth: number;
  /** The median of the rounds' ratios. */
  ratio: number;
}

/**
 * P1: bare BullMQ jobs/s (worker concurrency 1, as the orchestrator's results consumer; and at the
 * LLM worker's concurrency), then an NB201 search through the real orchestrator and LLM worker (rule
 * provider: the instant LLM; the table look-up: the instant trainer), after an unmeasured warm-up
 * search of `warmup` candidates (the orchestrator reads the table and both processes warm up), and
 * each bare run warms up with as many jobs. The processes take thousands of candidates to reach their
 * steady state: after a warm-up of 1,000, ten rounds of 1,000 showed the orchestrator's CPU per
 * candidate fall from 0.98 to 0.6 ms and the LLM worker's from 0.82 to 0.4 ms, while bare BullMQ stayed
 * flat; a fleet runs for hours, so the default warm-up is 3,000. Each round measures all
 * three back to back, so that both sides of its ratio see the same load; the ratio is against the
 * faster of the round's two bare figures (a slow bare setting cannot flatter it), and the result is
 * the median round: on a busy machine one round's ratio swings with what else runs.
 */
export async function runP1(ctx: BenchContext, o: { bareJobs: number; evaluations: number; depth: number; llmConcurrency: number; warmup: number; rounds: number }): Promise<P1Result> {
  ctx.progress(`P1: warm-up NB201 search (${o.warmup} evaluations, not measured)`);
  await benchSearch(ctx, 'p1-warmup', { space: NB201_SPACE, evaluations: o.warmup, depth: o.depth, llm: { provider: 'rule' } });
  const rounds: P1Round[] = [];
  for (let r = 1; r <= o.rounds; r++) {
    ctx.progress(`P1 round ${r}/${o.rounds}: bare BullMQ, ${o.bareJobs} jobs, concurrency 1`);
    const bare = await measureBareBullmq({ redisUrl: ctx.redisUrl, queueConfig: ctx.queueConfig, jobs: o.bareJobs, warmup: o.warmup, concurrency: 1, name: `bare-c1-r${r}` });
    ctx.progress(`P1 round ${r}/${o.rounds}: bare BullMQ, ${o.bareJobs} jobs, concurrency ${o.llmConcurrency}`);
    const bareConcurrent = await measureBareBullmq({ redisUrl: ctx.redisUrl, queueConfig: ctx.queueConfig, jobs: o.bareJobs, warmup: o.warmup, concurrency: o.llmConcurrency, name: `bare-c${o.llmConcurrency}-r${r}` });
    ctx.progress(`P1 round ${r}/${o.rounds}: NB201 search, ${o.evaluations} evaluations, depth ${o.depth}`);
    const pipeline = await benchSearch(ctx, 'p1', { space: NB201_SPACE, evaluations: o.evaluations, depth: o.depth, llm: { provider: 'rule' } });
    rounds.push({ bare, bareConcurrent, pipeline, ratio: Math.max(bare.rate, bareConcurrent.rate) / pipeline.rate });
  }
  const sorted = [...rounds].sort((a, b) => a.ratio - b.ratio);
  const median = sorted[Math.floor((sorted.length - 1) / 2)]!;
  return { rounds, median, depth: o.depth, ratio: median.ratio };
}

/** The report lines of P1 (without the final P1 line): every round in short, the median round in full. */
export function describeP1(r: P1Result): string[] {
  const bareLine = (b: BareRun) => `${b.jobs} jobs in ${b.seconds.toFixed(2)} s = ${b.rate.toFixed(0)} jobs/s (worker concurrency ${b.concurrency}); Redis: ${describeTraffic(b.traffic, b.jobs, 'job')}`;
  const m = r.median;
  const p = m.pipeline;
  const fastest = (x: P1Round) => Math.max(x.bare.rate, x.bareConcurrent.rate);
  return [
    ...r.rounds.map((x, i) => `round ${i + 1}: bare ${x.bare.rate.toFixed(0)} / ${x.bareConcurrent.rate.toFixed(0)} jobs/s, pipeline ${x.pipeline.rate.toFixed(1)} candidates/s, ratio ${x.ratio.toFixed(2)}; CPU ms/candidate: ${describeCpuPer(x.pipeline.cpu, x.pipeline.told)}`),
    `the median round (${r.rounds.indexOf(m) + 1}):`,
    `bare BullMQ: ${bareLine(m.bare)}`,
    `bare BullMQ: ${bareLine(m.bareConcurrent)}`,
    `NB201 pipeline (rule provider, inline look-up, depth ${r.depth}): ${p.told} candidates told in ${p.seconds.toFixed(2)} s (submit → done) = ${p.rate.toFixed(1)} candidates/s` +
      ` (${p.duplicates} duplicates, ${p.failed} failed)`,
    `  ratio = ${(1000 / p.rate).toFixed(2)} ms per candidate / ${(1000 / fastest(m)).toFixed(2)} ms per bare job (the faster bare figure) = ${m.ratio.toFixed(2)}`,
    `  CPU in that window: ${describeCpu(p.cpu, p.seconds, { count: p.told, unit: 'candidate' })}`,
    `  Redis in that window: ${describeTraffic(p.traffic, p.told, 'candidate')}; the final snapshot is ${(p.snapshotBytes / 1000).toFixed(0)} kB`,
  ];
}
