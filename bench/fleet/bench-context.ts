import type { QueueConfig } from '@nasfleet/queues';
import type { SearchStore } from '@nasfleet/store';
import { cpuMeter } from './cpu-usage.ts';
import { redisTrafficMeter } from './redis-traffic.ts';
import type { RedisTraffic } from './redis-traffic.ts';
import { runSearch } from './run-search.ts';
import type { SearchRun, SearchSpecInput } from './run-search.ts';
import { startSimTrainers } from './sim-trainers.ts';
import type { BusyInterval } from './intervals.ts';

/** A search's engine config as the bench sets it: the strategy and its settings. */
export type SpecConfig = { strategy: string } & Record<string, unknown>;

/** What every measurement shares: the fleet's Redis and queues, the store, and how searches are named and configured. */
export interface BenchContext {
  redisUrl: string;
  queueConfig: QueueConfig;
  store: SearchStore;
  /** The engine's config per space (strategy and its settings; the seed is added). */
  configs: { nb201: SpecConfig; code: SpecConfig };
  seed: number;
  /** A fresh search id with `tag` in it. */
  searchId(tag: string): string;
  /** Progress lines (stderr): what runs now. */
  progress(line: string): void;
  /** What to show when a search does not end: failed jobs, the fleet processes' last lines. */
  diagnose(): Promise<string>;
  /** How long one search may take before the bench gives up. */
  searchTimeoutMs: number;
  /** The processes whose CPU time a search's figures are shown with (name → pid), as they are now. */
  processes(): Record<string, number>;
}

/** A finished search, the CPU seconds each fleet process spent from its submission to its end, and what Redis processed meanwhile. */
export interface MeasuredRun extends SearchRun {
  cpu: Record<string, number | null>;
  traffic: RedisTraffic;
}

/** The open code space as the bench submits it (Fashion-MNIST, default caps; its training settings go into TrainJobs, which the simulated workers ignore). */
export const CODE_SPACE = { name: 'code', options: {} };
/** The NB201 space: its "training" is the orchestrator's inline table look-up. */
export const NB201_SPACE = { name: 'nb201', options: { dataset: 'cifar10' } };

/** Submits a search with the bench's config for its space and its seed, waits for it to end, and says what CPU each process spent and what Redis processed meanwhile. */
export async function benchSearch(ctx: BenchContext, tag: string, spec: Omit<SearchSpecInput, 'config'>): Promise<MeasuredRun> {
  const config = spec.space.name === 'code' ? ctx.configs.code : ctx.configs.nb201;
  const stopTraffic = await redisTrafficMeter(ctx.redisUrl);
  const stopCpu = cpuMeter(ctx.processes());
  let measured: { cpu: Record<string, number | null>; traffic: RedisTraffic } | null = null;
  // Both meters stop when the search is seen to end, before the bench reads its snapshot back.
  const onEnded = async () => {
    measured = { cpu: stopCpu(), traffic: await stopTraffic() };
  };
  const run = await runSearch(ctx.store, { ...spec, config: { ...config, seed: ctx.seed } }, ctx.searchId(tag), { timeoutMs: ctx.searchTimeoutMs, diagnose: ctx.diagnose, onEnded });
  return { ...run, ...measured! };
}

/** A code-space search while `workers` simulated training workers (each sleeping `sleepMs` per job) serve `train`; they are closed afterwards. */
export async function searchWithSimTrainers(
  ctx: BenchContext, tag: string, o: { workers: number; sleepMs: number; evaluations: number; depth: number; llm?: SearchSpecInput['llm'] },
): Promise<{ run: MeasuredRun; intervals: BusyInterval[] }> {
  const sims = await startSimTrainers({ redisUrl: ctx.redisUrl, queueConfig: ctx.queueConfig, workers: o.workers, sleepMs: o.sleepMs });
  try {
    const run = await benchSearch(ctx, tag, { space: CODE_SPACE, evaluations: o.evaluations, depth: o.depth, llm: o.llm ?? { provider: 'rule' } });
    return { run, intervals: [...sims.intervals] };
  } finally {
    await sims.close();
  }
}
