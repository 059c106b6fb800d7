/**
 * A worker thread of the bench: loads the table once, then runs each job it is sent (null: exit)
 * and posts its JobResult back.
 */
import { parentPort } from 'node:worker_threads';
import type { CandidateResult } from '@nasfleet/contracts';
import { loadNb201Table, runNb201Search } from '@nasfleet/nb201';
import { loadPrompts, promptChoices } from '@nasfleet/prompts';
import { ANSWER_CAP, orderSeedOf, TRAINING_BUDGET } from './jobs.ts';
import type { Job, JobResult } from './jobs.ts';
import { VARIANTS } from './variants.ts';

const table = loadNb201Table();
const prompts = loadPrompts();

/** Runs one job. */
export async function runJob(job: Job): Promise<JobResult> {
  const t0 = performance.now();
  const base = {
    table, dataset: job.dataset, signal: job.signal, operator: job.operator,
    config: { ...VARIANTS[job.variant]!.config, seed: job.seed },
    prompts: promptChoices(prompts.mutations), crossoverPrompt: prompts.crossover,
    mode: job.parallelism.mode, inFlight: job.parallelism.inFlight,
    // One at a time there is nothing to reorder; with more in flight results return as a fleet's would.
    ...(job.parallelism.inFlight > 1 ? { orderSeed: orderSeedOf(job.seed) } : {}),
    trainingCheckpoints: [TRAINING_BUDGET],
  };
  const seen = new Set<string>();
  let trainingsAt500 = 0;
  let evaluationsAtBudget: number | null = null;
  const count = (result: CandidateResult, told: number) => {
    if (result.canonicalHash !== undefined) seen.add(result.canonicalHash);
    if (evaluationsAtBudget === null && seen.size === TRAINING_BUDGET) evaluationsAtBudget = told;
  };
  const report = await runNb201Search({
    ...base, evaluations: job.evaluations, checkpoints: [500, job.evaluations],
    onResult(result, told) {
      count(result, told);
      if (told === 500) trainingsAt500 = seen.size;
    },
  });
  let atBudget = report.atTrainings[TRAINING_BUDGET];
  let budgetCapped = false;
  if (atBudget === undefined) {
    // The budget's evaluations trained fewer distinct cells: the same search (same seed, so the same
    // asks up to that point) run on until it has, as a fleet given a budget of trainings would.
    seen.clear();
    const longer = await runNb201Search({ ...base, evaluations: ANSWER_CAP, checkpoints: [ANSWER_CAP], stopAtTrainings: TRAINING_BUDGET, onResult: count });
    atBudget = longer.atTrainings[TRAINING_BUDGET];
    if (atBudget === undefined) {
      budgetCapped = true;
      atBudget = longer.atCheckpoint[ANSWER_CAP];
    }
  }
  const pick = report.atCheckpoint[500];
  const optimumAt500 = pick !== null && pick !== undefined && table.indexOf(pick.arch) === table.best(job.dataset, job.signal).index;
  return {
    ...job, optimumAt500, hit: report.firstTopHit, hitTrainings: report.firstTopHitTrainings,
    at500: report.atCheckpoint[500]?.test200 ?? null, signalAt500: pick?.fitness ?? null, atEnd: report.atCheckpoint[job.evaluations]?.test200 ?? null,
    at500Trainings: atBudget?.test200 ?? null, evaluationsAt500Trainings: budgetCapped ? null : evaluationsAtBudget,
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
