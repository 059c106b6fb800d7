import { startNodeProcess } from '@nasfleet/fleet-testing';
import type { NodeProcess } from '@nasfleet/fleet-testing';

/** A worker process started as a user would: `node --import tsx apps/worker/src/main.ts` with an environment. */
export type WorkerProcess = NodeProcess;

/** Starts a worker with exactly the environment `env` and waits for its "ready" line (rejects with its output if it exits or stays silent). */
export const startWorkerProcess = (env: Record<string, string | undefined>, readyTimeoutMs?: number): Promise<WorkerProcess> =>
  startNodeProcess('apps/worker/src/main.ts', env, / ready: role /, readyTimeoutMs);
