/**
 * A worker thread of the bench: loads the table once, then runs each job it is sent (null: exit)
 * and posts its JobResult back.
 */
import { parentPort } from 'node:worker_threads';
import { loadNb201Table, runNb201Search } from '@nasfleet/nb201';
import { loadPrompts, promptChoices } from '@nasfleet/prompts';
import { orderSeedOf } from './jobs.ts';
import type { Job, JobResult } from './jobs.ts';
import { VARIANTS } from './variants.ts';

const table = loadNb201Table();
const prompts = loadPrompts();

/** Runs one job. */
export async function runJob(job: Job): Promise<JobResult> {
  const t0 = performance.now();
  const seen = new Set<string>();
  let trainingsAt500 = 0;
  const report = await runNb201Search({
    table, dataset: job.dataset, signal: job.signal, operator: job.operator,
    config: { ...VARIANTS[job.variant]!.config, seed: job.seed },
    prompts: promptChoices(prompts.mutations), crossoverPrompt: prompts.crossover, evaluations: job.evaluations,
    mode: job.parallelism.mode, inFlight: job.parallelism.inFlight,
    // One at a time there is nothing to reorder; with more in flight results return as a fleet's would.
    ...(job.parallelism.inFlight > 1 ? { orderSeed: orderSeedOf(job.seed) } : {}),
    checkpoints: [500, job.evaluations],
    onResult(result, told) {
      if (result.canonicalHash !== undefined) seen.add(result.canonicalHash);
      if (told === 500) trainingsAt500 = seen.size;
    },
  });
  const pick = report.atCheckpoint[500];
  const optimumAt500 = pick !== null && pick !== undefined && table.indexOf(pick.arch) === table.best(job.dataset, job.signal).index;
  return {
    ...job, optimumAt500, hit: report.firstTopHit, hitTrainings: report.firstTopHitTrainings,
    at500: report.atCheckpoint[500]?.test200 ?? null, signalAt500: pick?.fitness ?? null, atEnd: report.atCheckpoint[job.evaluations]?.test200 ?? null,
    coverage: report.coverage, trainingsAt500, failures: report.failures, ms: performance.now() - t0,
  };
}

parentPort?.on('message', (job: Job | null) => {
  if (job === null) process.exit(0);
  runJob(job).then((r) => parentPort!.postMessage(r), (error: unknown) => {
    // An error of the search is the bench's bug: report it; the pool stops every worker.
    parentPort!.postMessage({ error: error instanceof Error ? error.stack ?? error.message : String(error) });
  });
});
