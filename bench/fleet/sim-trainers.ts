import { createHash } from 'node:crypto';
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import type { TrainJobResult } from '@nasfleet/contracts';
import { createQueueWorker } from '@nasfleet/queues';
import type { QueueConfig, QueueWorker } from '@nasfleet/queues';
import type { BusyInterval } from './intervals.ts';

/** N simulated training workers and what they did. */
export interface SimTrainers {
  /** One interval per job, in the order the jobs finished. */
  readonly intervals: BusyInterval[];
  /** Lets the jobs in progress finish, then closes every connection. */
  close(): Promise<void>;
}

/** A fitness in [50, 90) percent that depends only on the candidate, so reruns see the same search. */
function fitnessOf(candidateId: string): number {
  return 50 + (createHash('sha256').update(candidateId).digest().readUInt32BE(0) % 4000) / 100;
}

/**
 * Starts `workers` simulated training workers in this process, each a BullMQ worker of its own on
 * `train` (concurrency 1, its own connections, as separate machines would have), through the same
 * createQueueWorker the real train role uses, so payloads and results are parsed on both sides. Each
 * job sleeps `sleepMs` (instead of training) and returns the ResultMessage the real train handler
 * returns: `step: 'train'` with a TrainJobResult (an ok outcome whose fitness is derived from the
 * candidate id; metrics.trainMs). The handler's time, from entry to return, is recorded as a busy
 * interval.
 */
export async function startSimTrainers(options: { redisUrl: string; queueConfig: QueueConfig; workers: number; sleepMs: number }): Promise<SimTrainers> {
  const intervals: BusyInterval[] = [];
  const started: QueueWorker[] = [];
  const close = async () => {
    await Promise.all(started.map((worker) => worker.close()));
  };
  try {
    for (let w = 0; w < options.workers; w++) {
      const info = { id: `sim-train-${w + 1}`, host: hostname(), pid: process.pid };
      const worker = createQueueWorker('train', async (job) => {
        const start = performance.timeOrigin + performance.now();
        const startedAt = new Date().toISOString();
        await sleep(options.sleepMs);
        const result: TrainJobResult = { candidateId: job.candidateId, outcome: { status: 'ok', fitness: fitnessOf(job.candidateId) }, metrics: { trainMs: options.sleepMs } };
        intervals.push({ worker: w, start, end: performance.timeOrigin + performance.now() });
        return { searchId: job.searchId, candidateId: job.candidateId, step: 'train' as const, worker: info, startedAt, finishedAt: new Date().toISOString(), payload: result };
      }, { redisUrl: options.redisUrl, config: options.queueConfig, concurrency: 1, name: info.id });
      started.push(worker);
    }
    await Promise.all(started.map((worker) => worker.worker.waitUntilReady()));
  } catch (error) {
    await close();
    throw error;
  }
  return { intervals, close };
}
