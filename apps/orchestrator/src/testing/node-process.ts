import { startNodeProcess } from '@nasfleet/fleet-testing';

export type { NodeProcess } from '@nasfleet/fleet-testing';

/** An LLM or training worker process (apps/worker), as a user starts one; no metrics endpoint unless `env` sets METRICS_PORT (tests side by side would race for the default port). */
export const startWorkerProcess = (env: Record<string, string | undefined>) => startNodeProcess('apps/worker/src/main.ts', { METRICS_PORT: 'off', ...env }, / ready: role /);

/** An orchestrator process (this app's main.ts), as a user starts one. */
export const startOrchestratorProcess = (env: Record<string, string | undefined>) => startNodeProcess('apps/orchestrator/src/main.ts', env, /orchestrator .* ready/);
