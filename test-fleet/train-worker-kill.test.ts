import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedis } from '@nasfleet/fleet-testing';
import type { TestRedis } from '@nasfleet/fleet-testing';
import { ChildProgress, createQueueProducer, workerNameOf } from '@nasfleet/queues';
import type { QueueProducer } from '@nasfleet/queues';
import { createRedisStore } from '@nasfleet/store';
import type { SearchStore } from '@nasfleet/store';
import { FleetProcesses, killPid, parentOf } from './support/fleet-processes.ts';
import type { NodeProcess } from './support/fleet-processes.ts';
import { eventually, provenances, RULE_LLM, searchEnded, submit, toldIds } from './support/fleet-search.ts';
import type { FleetSpec } from './support/fleet-search.ts';

/**
 * A code-space search on one LLM worker and two training worker processes, while the training
 * worker that holds a TrainJob is SIGKILLed mid-job — its training child with it, as when a machine
 * dies — three times, each time replaced by a fresh worker. Each killed job must come back (BullMQ's
 * stalled-job check) and be trained elsewhere, and the search must end with exactly its budget told,
 * each candidate once.
 */

const KILLS = 3;
const EVALUATIONS = 4;
/**
 * A killed worker's job keeps its lock until the lock expires, and only then does another worker's
 * stalled check (every stalledIntervalMs) put it back: with the defaults (30 s, 30 s) a kill costs a
 * minute, so the test shortens both. Each kill stalls the job once, and a job that stalls more than
 * maxStalledCount times is failed, so the limit is the number of kills (one job may be killed every
 * time). attempts KILLS + 1 and a short backoff: should a kill ever show up as a failed try rather than
 * a stall (the child reaped before the worker died), the job still has a try left after every kill,
 * and waits milliseconds, not seconds, for it.
 */
const QUEUE_CONFIG = JSON.stringify({
  lockDurationMs: 3_000, stalledIntervalMs: 1_000, maxStalledCount: KILLS,
  train: { attempts: KILLS + 1, backoffMs: 200 }, llm: { backoffMs: 200 },
});

const spec: FleetSpec = {
  space: { name: 'code', options: { train: { epochs: 1, trainSubset: 1024, batchSize: 64, learningRate: 0.05 }, validation: { count: 64 } } },
  config: { strategy: 'hybrid', seed: 1 }, evaluations: EVALUATIONS, llm: RULE_LLM, depth: EVALUATIONS, replay: false,
};

let redis: TestRedis;
let store: SearchStore;
let producer: QueueProducer;
let fleet: FleetProcesses;
let trainers = 0;
const startTrainer = () => {
  trainers += 1;
  return fleet.worker(`train-${trainers}`, { WORKER_ROLE: 'train', TRAIN_MEMORY_MB: '2048' });
};

beforeAll(async () => {
  redis = await startRedis();
  store = createRedisStore({ redis: redis.url });
  producer = createQueueProducer({ redisUrl: redis.url, config: JSON.parse(QUEUE_CONFIG) });
  fleet = new FleetProcesses({ ...process.env, REDIS_URL: redis.url, QUEUE_CONFIG });
  await fleet.worker('llm-1', { WORKER_ROLE: 'llm' });
  await startTrainer();
  await startTrainer();
  await fleet.orchestrator('orch-1', { POLL_MS: '200', SWEEP_MS: '1000', TRIM_JOURNAL: 'false' });
});

afterAll(async () => {
  await fleet?.stopAll();
  await producer?.close();
  await store?.close();
  await redis?.close();
});

/** A TrainJob being trained right now: its id, the worker process that holds it and the child that trains it. */
interface Victim {
  jobId: string;
  worker: NodeProcess;
  workerName: string;
  childPid: number;
}

/** The first active train job whose holder (BullMQ's processedBy) is a live worker of ours whose child reported it started this job. */
async function trainingNow(): Promise<Victim | false> {
  for (const job of await producer.queue('train').getJobs(['active'])) {
    const name = job.processedBy ? workerNameOf(job.processedBy) : undefined;
    const worker = name ? fleet.byName.get(name) : undefined;
    const progress = ChildProgress.safeParse(job.progress);
    if (!worker || worker.child.exitCode !== null || worker.child.signalCode !== null || !progress.success) continue;
    // The child's parent is the holder: the pid is this try's, not one left from a try on a worker killed before.
    if (parentOf(progress.data.childPid) !== worker.pid) continue;
    return { jobId: job.id!, worker, workerName: name!, childPid: progress.data.childPid };
  }
  return false;
}

describe('a training worker SIGKILLed mid-job, again and again', () => {
  it('loses no candidate and trains none twice: the killed jobs are trained by other workers and the search ends with exactly its budget', { timeout: 300_000 }, async () => {
    const record = await submit(store, spec, 'train-kill');
    const killed: Victim[] = [];
    const replacements: Promise<NodeProcess>[] = [];
    while (killed.length < KILLS) {
      const victim = await eventually(async () => {
        if ((await store.getSearch(record.id))?.status !== 'running') return 'ended' as const;
        return trainingNow();
      }, `a train job in training to kill (kill ${killed.length + 1})`);
      if (victim === 'ended') break;
      await victim.worker.stop('SIGKILL');
      killPid(victim.childPid);
      killed.push(victim);
      // Not awaited: while the replacement starts (seconds), the other worker takes the next job, to be killed in turn.
      replacements.push(startTrainer());
    }
    await Promise.all(replacements);
    expect(killed, 'the search ended before every kill').toHaveLength(KILLS);

    const done = await searchEnded(store, record.id);
    expect(done.status, fleet.logs()).toBe('done');
    const told = await toldIds(store, record.id);
    expect(told).toHaveLength(EVALUATIONS);
    expect(new Set(told).size).toBe(EVALUATIONS);

    // Each killed job came back as stalled (not as a failure) and was completed: its candidate was trained, once.
    for (const jobId of new Set(killed.map((k) => k.jobId))) {
      const job = await producer.queue('train').getJob(jobId);
      expect(await job?.getState()).toBe('completed');
      expect(job?.stalledCounter).toBe(killed.filter((k) => k.jobId === jobId).length);
    }
    // Every candidate that was trained names the training worker that trained it.
    const records = await provenances(store, record.id);
    const trained = records.filter((p) => p.check?.ok === true && p.duplicateOf === null);
    expect(trained.length).toBeGreaterThan(0);
    const workerNames = new Set([...fleet.byName.keys()].filter((n) => n.startsWith('train-')));
    for (const p of trained) {
      expect(p.result.outcome.status, JSON.stringify(p.result)).toBe('ok');
      expect(workerNames.has(p.steps.train?.worker.id ?? ''), `${p.result.id} trained by ${p.steps.train?.worker.id}`).toBe(true);
    }
    // The rest of the fleet rode it out: the LLM worker and the orchestrator are the ones started first.
    for (const name of ['llm-1', 'orch-1']) expect(fleet.get(name).child.exitCode, name).toBeNull();
  });
});
