import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { z } from 'zod';
import type { Failure } from '@nasfleet/contracts';
import { SandboxOptionsError, SandboxUnavailableError } from './errors.ts';
import type { SandboxResult } from './run-in-quickjs.ts';
import type { ParsedSandboxOptions } from './sandbox-options.ts';
import type { WorkerReply, WorkerRequest } from './worker-protocol.ts';

/** Options of a sandbox pool. */
export const SandboxPoolOptions = z.object({
  /** Worker threads kept warm; each runs one job at a time. */
  size: z.number().int().min(1).max(64).default(() => Math.min(2, availableParallelism())),
  /** Time past a job's timeoutMs before its worker is terminated from outside, ms. */
  graceMs: z.number().int().min(0).max(10_000).default(250),
  /** Longest wait for a new worker to load its engine before the jobs waiting for it fail, ms. */
  startTimeoutMs: z.number().int().positive().max(600_000).default(60_000),
  /** Worker entry; tests inject their own. Default: sandbox-worker-entry.js next to this file. */
  workerUrl: z.instanceof(URL).optional(),
});
export type SandboxPoolOptions = z.input<typeof SandboxPoolOptions>;

/** Why workers were dropped: stopped at the deadline, grew past the memory cap, broken engine, crashed. */
export type RetireReason = 'timeout' | 'memory' | 'engine' | 'crash';

/** Counters of a pool, for tests and benchmarks. */
export interface SandboxPoolStats {
  live: number;
  started: number;
  /** Largest wasm memory a worker reported after a job, bytes. */
  maxHeapBytes: number;
  retired: Record<RetireReason, number>;
}

/** Warm sandbox workers that run jobs under a hard deadline and replace any worker that fails. */
export interface SandboxPool {
  /**
   * Runs `code` (size-checked, options parsed) in a worker; resolves with the result or a classified
   * failure ('timeout' when the worker had to be stopped, 'memory', 'sandbox-runtime' when it crashed).
   * Rejects only with `SandboxUnavailableError` (no worker could start, or the pool is closed).
   */
  run(code: string, options: ParsedSandboxOptions): Promise<SandboxResult>;
  /** Starts workers up to the pool size and waits until they are ready. */
  warm(): Promise<void>;
  stats(): SandboxPoolStats;
  /** Fails waiting jobs, terminates every worker and waits for them to exit. */
  close(): Promise<void>;
}

interface Job { request: WorkerRequest; resolve: (r: SandboxResult) => void; reject: (e: Error) => void }
interface Slot { worker: Worker; ready: boolean; gone: boolean; job: Job | null; timer: NodeJS.Timeout | null; startTimer: NodeJS.Timeout }

/**
 * The worker's own JS heap, and the main thread's V8 stack size: with a worker's default 4 MiB, C
 * recursions that skip QuickJS's stack check (JSON.stringify of deep nesting) run seconds longer
 * before failing than they do on the main thread.
 */
const WORKER_LIMITS = { maxOldGenerationSizeMb: 256, stackSizeMb: 1 };

const fail = (failure: Failure): SandboxResult => ({ ok: false, failure });

/**
 * A pool of sandbox worker threads, started on demand and kept warm. Each job gets a hard wall-clock
 * deadline (timeoutMs + graceMs from when a ready worker takes it); past it the worker is terminated
 * and replaced, so a call that never returns (a built-in over a huge array-like) cannot block the
 * host. Workers whose engine grew past its memory cap, broke or crashed are replaced too, which is
 * what gives their wasm memory back to the OS. Idle workers do not keep the process alive.
 * Throws `SandboxOptionsError` for bad options.
 */
export function createSandboxPool(options: SandboxPoolOptions = {}): SandboxPool {
  const parsed = SandboxPoolOptions.safeParse(options);
  if (!parsed.success) throw new SandboxOptionsError(`invalid sandbox pool options: ${z.prettifyError(parsed.error)}`);
  const { size, graceMs, startTimeoutMs } = parsed.data;
  const url = parsed.data.workerUrl ?? new URL('./sandbox-worker-entry.js', import.meta.url);
  const slots: Slot[] = [];
  const queue: Job[] = [];
  const exiting = new Set<Promise<unknown>>();
  const stats: SandboxPoolStats = { live: 0, started: 0, maxHeapBytes: 0, retired: { timeout: 0, memory: 0, engine: 0, crash: 0 } };
  const readyWaiters: (() => void)[] = [];
  let nextId = 1;
  let closed = false;
  let lastStartError: string | null = null;

  function spawn(): void {
    const worker = new Worker(url, { execArgv: [], resourceLimits: WORKER_LIMITS });
    const slot: Slot = {
      worker, ready: false, gone: false, job: null, timer: null,
      startTimer: setTimeout(() => startFailed(slot, `no sandbox worker was ready within ${startTimeoutMs} ms`), startTimeoutMs),
    };
    slot.startTimer.unref();
    slots.push(slot);
    stats.started += 1;
    worker.on('message', (m: WorkerReply) => onMessage(slot, m));
    worker.on('error', (err) => onDeath(slot, err));
    worker.on('exit', (code) => onDeath(slot, new Error(`exit code ${code}`)));
  }

  function remove(slot: Slot): void {
    slot.gone = true;
    clearTimeout(slot.startTimer);
    if (slot.timer) clearTimeout(slot.timer);
    const i = slots.indexOf(slot);
    if (i >= 0) slots.splice(i, 1);
    const exit = slot.worker.terminate().catch(() => undefined);
    exiting.add(exit);
    void exit.then(() => exiting.delete(exit));
  }

  /** Drops a worker after a job and starts its replacement, so the pool stays warm. */
  function retire(slot: Slot, reason: RetireReason): void {
    stats.retired[reason] += 1;
    remove(slot);
    if (!closed) spawn();
    pump();
  }

  function startFailed(slot: Slot, message: string): void {
    if (slot.gone) return;
    remove(slot);
    lastStartError = message;
    for (const wake of readyWaiters.splice(0)) wake();
    // Without a ready worker nothing will take the waiting jobs: fail them rather than respawn in a loop.
    if (slots.some((s) => s.ready)) return;
    for (const job of queue.splice(0)) job.reject(new SandboxUnavailableError(`the sandbox worker failed to start: ${message}`));
    refresh();
  }

  function take(slot: Slot): Job | null {
    const job = slot.job;
    slot.job = null;
    if (slot.timer) clearTimeout(slot.timer);
    slot.timer = null;
    return job;
  }

  function onMessage(slot: Slot, m: WorkerReply): void {
    if (slot.gone) return;
    if (m.type === 'ready') {
      clearTimeout(slot.startTimer);
      slot.ready = true;
      for (const wake of readyWaiters.splice(0)) wake();
      pump();
    } else if (m.type === 'unavailable' && m.id === null) {
      startFailed(slot, m.message);
    } else if (slot.job?.request.id === m.id) {
      const job = take(slot) as Job;
      if (m.type === 'unavailable') {
        job.reject(new SandboxUnavailableError(m.message));
        retire(slot, 'engine');
      } else {
        stats.maxHeapBytes = Math.max(stats.maxHeapBytes, m.heapBytes);
        job.resolve(m.result);
        if (m.retire) retire(slot, m.retire);
        else pump();
      }
    }
  }

  function onDeath(slot: Slot, err: unknown): void {
    if (slot.gone) return;
    if (!slot.ready) return startFailed(slot, String(err));
    const job = take(slot);
    const oom = (err as { code?: unknown }).code === 'ERR_WORKER_OUT_OF_MEMORY';
    job?.resolve(fail(oom
      ? { class: 'memory', message: 'the sandbox worker ran out of memory' }
      : { class: 'sandbox-runtime', message: `the sandbox worker stopped unexpectedly (${String(err).slice(0, 300)})` }));
    retire(slot, oom ? 'memory' : 'crash');
  }

  function assign(slot: Slot, job: Job): void {
    slot.job = job;
    const { timeoutMs } = job.request.options;
    slot.timer = setTimeout(() => {
      take(slot)?.resolve(fail({ class: 'timeout', message: `the code ran past the ${timeoutMs} ms limit and its sandbox was stopped from outside (a call that never returns, e.g. a built-in over a huge array-like?)` }));
      retire(slot, 'timeout');
    }, timeoutMs + graceMs);
    slot.worker.postMessage(job.request);
  }

  /** Workers keep the process alive only while they have (or are starting for) work. */
  function refresh(): void {
    stats.live = slots.length;
    for (const s of slots) {
      if (s.job !== null || (!s.ready && (queue.length > 0 || readyWaiters.length > 0))) s.worker.ref();
      else s.worker.unref();
    }
  }

  function pump(): void {
    if (closed) return;
    for (let idle = slots.find((s) => s.ready && s.job === null); idle && queue.length > 0; idle = slots.find((s) => s.ready && s.job === null)) {
      assign(idle, queue.shift() as Job);
    }
    const starting = slots.filter((s) => !s.ready).length;
    for (let n = Math.min(queue.length - starting, size - slots.length); n > 0; n--) spawn();
    refresh();
  }

  return {
    run(code, options) {
      if (closed) return Promise.reject(new SandboxUnavailableError('the sandbox pool is closed'));
      return new Promise<SandboxResult>((resolve, reject) => {
        queue.push({ request: { id: nextId++, code, options }, resolve, reject });
        pump();
      });
    },
    async warm() {
      lastStartError = null;
      for (let n = size - slots.length; n > 0 && !closed; n--) spawn();
      refresh();
      while (!closed && !(slots.length >= size && slots.every((s) => s.ready))) {
        if (lastStartError !== null) throw new SandboxUnavailableError(`the sandbox worker failed to start: ${lastStartError}`);
        const woken = new Promise<void>((wake) => readyWaiters.push(wake));
        refresh();
        await woken;
      }
    },
    stats: () => ({ ...stats, live: slots.length, retired: { ...stats.retired } }),
    async close() {
      closed = true;
      const error = new SandboxUnavailableError('the sandbox pool was closed');
      for (const job of queue.splice(0)) job.reject(error);
      for (const slot of [...slots]) {
        take(slot)?.reject(error);
        remove(slot);
      }
      for (const wake of readyWaiters.splice(0)) wake();
      await Promise.all([...exiting]);
    },
  };
}
