import { startNodeProcess } from '@nasfleet/fleet-testing';
import type { NodeProcess } from '@nasfleet/fleet-testing';

/** A worker process started as a user would: `node --import tsx apps/worker/src/main.ts` with an environment. */
export type WorkerProcess = NodeProcess;

/**
 * Starts a worker with the environment `env` and waits for its "ready" line (rejects with its output if
 * it exits or stays silent). METRICS_PORT defaults to off: tests run side by side on one machine, and a
 * fixed default port would make them race for it (a test that wants metrics sets it).
 */
export const startWorkerProcess = (env: Record<string, string | undefined>, readyTimeoutMs?: number): Promise<WorkerProcess> =>
  startNodeProcess('apps/worker/src/main.ts', { METRICS_PORT: 'off', ...env }, / ready: role /, readyTimeoutMs);
