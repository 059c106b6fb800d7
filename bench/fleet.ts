/**
 * Benchmark (not a test): the fleet's throughput, measured in one run on this machine.
 *
 *   P1  bare BullMQ jobs/s next to the whole pipeline's candidates/s on NB201 (rule provider: the
 *       instant LLM; the orchestrator's inline table look-up: the instant trainer); target: a
 *       candidate costs ≤ 3 bare jobs.
 *   P2  N = 1, 4, 16 simulated training workers (a fixed sleep per job) on the code space; target:
 *       throughput at 16 ≥ 95% of 16 × throughput at 1.
 *   P7  training workers' busy fraction when the LLM (the Ollama double over HTTP) takes half as long
 *       per answer as a training job; target ≥ 95%.
 *
 * The orchestrator and the LLM workers are the real processes, started as a user starts them
 * (`node --import tsx apps/…/main.ts`); the simulated training workers run in this process, each
 * a BullMQ worker of its own (see bench/fleet/sim-trainers.ts). Each figure is printed with the
 * counts and seconds it comes from, what it depends on (depth, T, concurrency) and the CPU seconds
 * every process spent meanwhile, so that the bottleneck can be read off. Progress goes to stderr.
 *
 *   npm run bench:fleet -- [--quick] [--help] …
 */
import { resolve } from 'node:path';
import { createQueueProducer, parseQueueConfig } from '@nasfleet/queues';
import { createRedisStore } from '@nasfleet/store';
import type { NodeProcess } from '@nasfleet/fleet-testing';
import type { BenchContext } from './fleet/bench-context.ts';
import { parseBenchOptions, USAGE } from './fleet/bench-options.ts';
import type { BenchOptions } from './fleet/bench-options.ts';
import { Cleanup } from './fleet/cleanup.ts';
import { describeTrouble } from './fleet/diagnose.ts';
import { killStrayChildren, startLlmWorkerProcess, startOrchestratorProcess } from './fleet/fleet-processes.ts';
import { describeP1, runP1 } from './fleet/phase-p1.ts';
import { describeP2, measureSupply, runP2 } from './fleet/phase-p2.ts';
import { describeP7, runP7 } from './fleet/phase-p7.ts';
import { benchRedis, loadAverage, machineLine } from './fleet/setup.ts';
import { startSlowLlm } from './fleet/slow-llm.ts';

const out = (line = ''): void => void process.stdout.write(`${line}\n`);
const progress = (line: string): void => void process.stderr.write(`[bench:fleet ${new Date().toISOString().slice(11, 19)}] ${line}\n`);
const verdict = (pass: boolean): string => (pass ? 'PASS' : 'FAIL');

async function run(o: BenchOptions, cleanup: Cleanup): Promise<void> {
  // A prefix of this run's own: on a shared Redis (REDIS_URL) nothing of anyone else's is touched.
  const prefix = `{nasfleet-bench-${process.pid}}`;
  const redis = await benchRedis(cleanup, process.env.REDIS_URL, prefix);
  out(`machine: ${machineLine()} (at start)`);
  out(`redis: ${redis.version}, ${redis.own ? 'a redis-server of the bench\'s own (no persistence)' : `REDIS_URL (keys under ${prefix})`}; orchestrator POLL_MS ${o.pollMs}`);
  // A small population: after its first random samples (drawn by the rule operator, no LLM) every
  // code-space candidate is a mutation, one LLM answer each, as P7 needs (the default is 100 samples).
  const configs = { nb201: { strategy: o.strategy }, code: { strategy: o.codeStrategy, regularizedEvolution: { population: 4, tournament: 2 } } };
  out(`engine configs: NB201 ${JSON.stringify(configs.nb201)}, code space ${JSON.stringify(configs.code)}; seed ${o.seed}${o.quick ? '; --quick' : ''}`);
  const queueConfig = parseQueueConfig({ prefix });
  const store = createRedisStore({ redis: redis.url, prefix });
  cleanup.add('store', () => store.close(), 3000);
  const producer = createQueueProducer({ redisUrl: redis.url, config: queueConfig });
  cleanup.add('producer', () => producer.close(), 3000);
  const fleet = { redisUrl: redis.url, prefix, ...(o.cpuProfDir ? { nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${resolve(o.cpuProfDir)}`] } : {}) };

  const wanted = o.phases;
  progress(`starting the orchestrator${wanted.has('p1') || wanted.has('p2') ? ' and an LLM worker' : ''}`);
  const [orchestrator, firstLlm] = await Promise.all([
    startOrchestratorProcess(cleanup, fleet, o.pollMs),
    wanted.has('p1') || wanted.has('p2') ? startLlmWorkerProcess(cleanup, fleet, 'llm-1', o.llmConcurrency) : null,
  ]);
  let llm: { process: NodeProcess; stop: () => Promise<void> } | null = firstLlm;
  let searches = 0;
  const ctx: BenchContext = {
    redisUrl: redis.url, queueConfig, store, configs, seed: o.seed,
    searchId: (tag) => `${tag}-${++searches}`,
    progress,
    diagnose: () => describeTrouble(producer, { orchestrator: orchestrator.process, 'llm worker': llm?.process ?? null }),
    searchTimeoutMs: 300_000,
    processes: () => ({
      orchestrator: orchestrator.process.pid, ...(llm ? { 'llm worker': llm.process.pid } : {}), 'bench (sims, double)': process.pid, ...(redis.pid ? { redis: redis.pid } : {}),
    }),
  };
  const verdicts: string[] = [];

  if (wanted.has('p1')) out('\n== P1: bare BullMQ vs the NB201 pipeline ==');
  const p1 = wanted.has('p1') ? await runP1(ctx, { bareJobs: o.bareJobs, evaluations: o.evaluations, depth: o.depth, llmConcurrency: o.llmConcurrency, warmup: o.warmup, rounds: o.rounds }) : null;
  if (p1) {
    for (const l of describeP1(p1)) out(l);
    verdicts.push(`P1 ratio=${p1.ratio.toFixed(2)} (median of ${p1.rounds.length} rounds: ${p1.rounds.map((x) => x.ratio.toFixed(2)).join(', ')}; target ≤ 3) ${verdict(p1.ratio <= 3)}`);
  }

  if (wanted.has('p2')) {
    out('\n== P2: scaling over simulated training workers (code space) ==');
    const supply = await measureSupply(ctx, { workers: Math.max(...o.workers), llmConcurrency: o.llmConcurrency, evaluations: o.supplyEvaluations, warmup: 30 });
    if (p1) {
      const codeRatio = Math.max(p1.median.bare.rate, p1.median.bareConcurrent.rate) / supply.run.rate;
      out(`code-space pipeline with train jobs (instant trainers, the supply below): ${supply.run.rate.toFixed(1)} candidates/s = ${codeRatio.toFixed(1)} bare jobs per candidate (information)`);
    }
    const p2 = await runP2(ctx, supply, { workers: o.workers, perWorker: o.perWorker, llmConcurrency: o.llmConcurrency, ...(o.trainMs !== undefined ? { sleepMs: o.trainMs } : {}) });
    for (const l of describeP2(p2)) out(l);
    verdicts.push(`P2 efficiency=${(100 * p2.efficiency).toFixed(1)}% (target ≥ 95%) ${verdict(p2.efficiency >= 0.95)}`);
  }

  if (wanted.has('p7')) {
    out('\n== P7: training workers\' busy fraction, LLM at half a training job per answer ==');
    progress(`P7: the Ollama double at ${o.p7TrainMs / 2} ms per answer, an LLM worker with concurrency ${o.p7Workers}${llm ? ' in place of the first' : ''}`);
    await llm?.stop();
    llm = null;
    const slow = await startSlowLlm(o.p7TrainMs / 2, o.p7Evaluations);
    cleanup.add('ollama double', () => slow.double.close());
    llm = await startLlmWorkerProcess(cleanup, fleet, 'llm-p7', o.p7Workers);
    const p7 = await runP7(ctx, { workers: o.p7Workers, sleepMs: o.p7TrainMs, evaluations: o.p7Evaluations, llmConcurrency: o.p7Workers, llm: slow, llmJobs: llm.process.lines });
    out(`the double answers with ${slow.prepared} distinct random networks made before the search (so it costs no CPU while measured)`);
    for (const l of describeP7(p7)) out(l);
    verdicts.push(`P7 busy=${(100 * p7.steady.busy).toFixed(1)}% (target ≥ 95%) ${verdict(p7.steady.busy >= 0.95)}`);
  }

  out(`\nload average at end: ${loadAverage()} (1, 5, 15 min)`);
  for (const v of verdicts) out(v);
}

async function main(): Promise<number> {
  let options: BenchOptions | null;
  try {
    options = parseBenchOptions(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`error: ${(error as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  if (options === null) {
    out(USAGE);
    return 0;
  }
  // 20 s per step: a fleet process gets 15 s to close gracefully before its SIGKILL.
  const cleanup = new Cleanup(20_000);
  // Registered first, so it runs last: whatever child the steps before it did not stop.
  cleanup.add('stray child processes', async () => {
    const killed = killStrayChildren();
    if (killed.length > 0) progress(`killed child processes that were still running: ${killed.join(', ')}`);
  });
  const stop = (signal: NodeJS.Signals): void => {
    progress(`${signal}: stopping every process the bench started`);
    void cleanup.runAll(progress).finally(() => process.exit(130));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    await run(options, cleanup);
    return 0;
  } catch (error) {
    process.stderr.write(`error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return 1;
  } finally {
    progress('cleaning up');
    await cleanup.runAll(progress);
  }
}

// Explicit exit: a client whose close is still settling must not keep a finished bench alive.
process.exit(await main());
