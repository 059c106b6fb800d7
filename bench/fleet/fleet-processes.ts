import { readdirSync, readFileSync } from 'node:fs';
import { startNodeProcess } from '@nasfleet/fleet-testing';
import type { NodeProcess } from '@nasfleet/fleet-testing';
import type { Cleanup } from './cleanup.ts';

/** What every process of the bench's fleet shares: the Redis and the queues' key prefix. */
export interface FleetEnv {
  redisUrl: string;
  prefix: string;
  /** Node flags for every fleet process (the bench's --cpu-prof: `--cpu-prof --cpu-prof-dir=DIR`). */
  nodeArgs?: string[];
}

/** Stops a process with SIGTERM (graceful: jobs in progress finish), SIGKILL when it has not exited after `graceMs`. */
async function stopProcess(p: NodeProcess, graceMs = 15_000): Promise<void> {
  const timer = setTimeout(() => p.child.kill('SIGKILL'), graceMs);
  try {
    await p.stop('SIGTERM');
  } finally {
    clearTimeout(timer);
  }
}

/** Starts a fleet process as a user does (`node --import tsx <script>`), registered with `cleanup` so it is stopped whatever happens. */
async function startRegistered(cleanup: Cleanup, name: string, script: string, env: Record<string, string>, ready: RegExp, nodeArgs: string[] = []): Promise<{ process: NodeProcess; stop: () => Promise<void> }> {
  // The bench's own variables (PATH, NODE_OPTIONS, …) plus the fleet's, as a shell would pass them.
  const p = await startNodeProcess(script, { ...process.env, ...env }, ready, undefined, nodeArgs);
  const stop = cleanup.add(name, () => stopProcess(p));
  return { process: p, stop };
}

/**
 * The real orchestrator, apps/orchestrator/src/main.ts, in a process of its own (as in production:
 * its results consumer gets an event loop to itself). `pollMs` bounds how long a submitted search
 * waits to be picked up (POLL_MS).
 */
export function startOrchestratorProcess(cleanup: Cleanup, fleet: FleetEnv, pollMs: number) {
  return startRegistered(cleanup, 'orchestrator', 'apps/orchestrator/src/main.ts', {
    REDIS_URL: fleet.redisUrl, QUEUE_PREFIX: fleet.prefix, POLL_MS: String(pollMs), ORCHESTRATOR_ID: 'bench-orchestrator',
  }, /orchestrator .* ready/, fleet.nodeArgs);
}

/** A real LLM worker, apps/worker/src/main.ts with WORKER_ROLE=llm and WORKER_CONCURRENCY=`concurrency`. */
export function startLlmWorkerProcess(cleanup: Cleanup, fleet: FleetEnv, id: string, concurrency: number) {
  return startRegistered(cleanup, `llm worker ${id}`, 'apps/worker/src/main.ts', {
    REDIS_URL: fleet.redisUrl, QUEUE_PREFIX: fleet.prefix, WORKER_ROLE: 'llm', WORKER_ID: id, WORKER_CONCURRENCY: String(concurrency),
  }, / ready: role /, fleet.nodeArgs);
}

/**
 * SIGKILLs every process whose parent is this one and that is still alive: a fleet process that never
 * became ready (startNodeProcess rejects without stopping it, so no stop was registered for it), or
 * one that ignored SIGTERM. Linux (/proc) only; elsewhere it does nothing. Returns the pids killed.
 */
export function killStrayChildren(): number[] {
  let entries: string[];
  try {
    entries = readdirSync('/proc').filter((e) => /^\d+$/.test(e));
  } catch {
    return [];
  }
  const killed: number[] = [];
  for (const entry of entries) {
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const command = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      // Fields after the command name (which may hold spaces): state, ppid, …
      const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      // tsx's esbuild service is this process's own helper, not something the bench started.
      if (Number(ppid) !== process.pid || state === 'Z' || command === 'esbuild') continue;
      process.kill(Number(entry), 'SIGKILL');
      killed.push(Number(entry));
    } catch {
      // Gone meanwhile.
    }
  }
  return killed;
}
