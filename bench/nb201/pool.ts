import { Worker } from 'node:worker_threads';
import type { Job, JobResult } from './jobs.ts';

/**
 * Runs jobs on `size` worker threads, `onDone` after each. Rejects on the first worker error (a
 * search that throws is a bug, not a data point); the other workers are terminated.
 */
export function runPool(jobs: readonly Job[], size: number, onDone: (r: JobResult, done: number) => void): Promise<JobResult[]> {
  const url = new URL('./search-worker.ts', import.meta.url).href;
  return new Promise((resolve, reject) => {
    const results: JobResult[] = [];
    const workers: Worker[] = [];
    let next = 0;
    let live = Math.min(size, jobs.length);
    if (live === 0) return resolve(results);
    const fail = (error: Error) => {
      workers.forEach((w) => void w.terminate());
      reject(error);
    };
    for (let w = 0; w < live; w++) {
      // A worker cannot load .ts by itself: register tsx's loader inside it, then import the worker module.
      const worker = new Worker(`import('tsx/esm/api').then((m) => m.register()).then(() => import(${JSON.stringify(url)}))`, { eval: true });
      workers.push(worker);
      const feed = () => worker.postMessage(next < jobs.length ? jobs[next++] : null);
      worker.on('message', (m: JobResult | { error: string }) => {
        if ('error' in m) return fail(new Error(`a search failed: ${m.error}`));
        results.push(m);
        onDone(m, results.length);
        feed();
      });
      worker.on('error', fail);
      worker.on('exit', () => (--live === 0 ? resolve(results) : undefined));
      feed();
    }
  });
}
