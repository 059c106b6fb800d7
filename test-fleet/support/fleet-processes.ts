import { readdirSync, readFileSync } from 'node:fs';
import { startOrchestratorProcess, startWorkerProcess } from '../../apps/orchestrator/src/testing/node-process.ts';
import type { NodeProcess } from '../../apps/orchestrator/src/testing/node-process.ts';

export type { NodeProcess };

type Env = Record<string, string | undefined>;

/** True while a process with this pid exists (a zombie counts until it is reaped). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The parent pid of a live process (Linux /proc), or null when it is gone. */
export function parentOf(pid: number): number | null {
  try {
    // Field 4 of /proc/<pid>/stat, after the command name in parentheses (which may itself hold spaces).
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return null;
  }
}

/** The live processes whose parent is `pid` (a worker's training children), from /proc. */
export function childrenOf(pid: number): number[] {
  return readdirSync('/proc').filter((d) => /^\d+$/.test(d)).map(Number).filter((p) => parentOf(p) === pid);
}

/** SIGKILL a pid that this test started (directly or as a worker's training child); nothing when it is gone. */
export function killPid(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

/**
 * The fleet's processes a test started (workers, orchestrators) by name, as a user runs them:
 * `node --import tsx apps/…/main.ts` with `base` (the test's environment) plus each one's variables.
 * `stopAll` SIGKILLs every one still running, for afterAll, so a failed test leaves nothing behind.
 */
export class FleetProcesses {
  readonly byName = new Map<string, NodeProcess>();
  /** Pids of further processes to kill at the end (a killed worker's orphaned training child). */
  private readonly extra = new Set<number>();
  /** Starts not awaited yet: stopAll waits for them, so that a process still starting is stopped too. */
  private readonly starting = new Set<Promise<NodeProcess>>();

  constructor(private readonly base: Env) {}

  /** A worker (WORKER_ID `name`, no metrics endpoint: several run on one machine), once it is ready. */
  worker(name: string, env: Env): Promise<NodeProcess> {
    return this.track(name, startWorkerProcess({ ...this.base, WORKER_ID: name, METRICS_PORT: 'off', ...env }));
  }

  /** An orchestrator (ORCHESTRATOR_ID `name`), once it is ready. */
  orchestrator(name: string, env: Env): Promise<NodeProcess> {
    return this.track(name, startOrchestratorProcess({ ...this.base, ORCHESTRATOR_ID: name, ...env }));
  }

  private track(name: string, started: Promise<NodeProcess>): Promise<NodeProcess> {
    const named = started.then((p) => {
      this.byName.set(name, p);
      return p;
    });
    this.starting.add(named);
    return named;
  }

  get(name: string): NodeProcess {
    const p = this.byName.get(name);
    if (!p) throw new Error(`no process named ${name} was started`);
    return p;
  }

  /** Remembers a pid to SIGKILL in stopAll. */
  alsoKill(pid: number): void {
    this.extra.add(pid);
  }

  /** Every line a process wrote, prefixed by its name: what a failed assertion shows. */
  logs(): string {
    return [...this.byName].map(([name, p]) => p.lines.map((l) => `[${name}] ${l}`).join('\n')).join('\n');
  }

  /** SIGKILLs every process still running and their children (a training child would outlive its worker). */
  async stopAll(): Promise<void> {
    await Promise.allSettled(this.starting);
    const running = [...this.byName.values()].filter((p) => p.child.exitCode === null && p.child.signalCode === null);
    for (const p of running) for (const child of childrenOf(p.pid)) this.extra.add(child);
    await Promise.all(running.map((p) => p.stop('SIGKILL')));
    for (const pid of this.extra) killPid(pid);
  }
}
