import { randomBytes } from 'node:crypto';
import { startRedis } from '@nasfleet/fleet-testing';
import type { TestRedis } from '@nasfleet/fleet-testing';
import type { FleetEnv } from './config.ts';
import type { FleetOptions } from './fleet-args.ts';
import { launchProcess } from './launch.ts';
import type { FleetProcess } from './launch.ts';

/** A fleet running on this machine: the API's address and token, its processes, and how to stop them all. */
export interface LocalFleet {
  readonly apiUrl: string;
  readonly token: string;
  readonly redisUrl: string;
  readonly processes: readonly FleetProcess[];
  /** Workers first (their jobs finish or are left for a retry), then the orchestrator, then the Redis it started. */
  stop(): Promise<void>;
}

/**
 * Starts Redis (unless `redisUrl` is given), the orchestrator (its API on `options.port`, a fresh
 * random token), and the LLM and training workers, each a process of its own writing to
 * `<logDir>/<name>.log`. What started is stopped again if a later step fails.
 */
export async function startFleet(options: FleetOptions, logDir: string, env: FleetEnv, say: (line: string) => void): Promise<LocalFleet> {
  const started: FleetProcess[] = [];
  let redis: TestRedis | null = null;
  const stop = async () => {
    const workers = started.filter((p) => p.name !== 'orchestrator');
    await Promise.all(workers.map((p) => p.stop()));
    await Promise.all(started.filter((p) => p.name === 'orchestrator').map((p) => p.stop()));
    await redis?.close();
  };
  try {
    let redisUrl = env.redisUrl;
    if (!redisUrl) {
      redis = await startRedis({ aof: true });
      redisUrl = redis.url;
      say(`redis-server on ${redisUrl} (data in ${redis.dir}, removed at the end)`);
    } else {
      say(`using the Redis at ${redisUrl} (REDIS_URL)`);
    }
    const token = randomBytes(24).toString('hex');
    const common = { ...env.childEnv, REDIS_URL: redisUrl };
    const orchestrator = await launchProcess('orchestrator', 'apps/orchestrator/src/main.ts',
      { ...common, API_PORT: String(options.port), API_HOST: '127.0.0.1', API_TOKEN: token, ORCHESTRATOR_ID: 'orchestrator-1', POLL_MS: '500' },
      /orchestrator .* ready/, logDir);
    started.push(orchestrator);
    const apiUrl = /api (http:\/\/\S+)/.exec(orchestrator.readyLine)?.[1];
    if (!apiUrl) throw new Error(`the orchestrator did not say where its API listens: ${orchestrator.readyLine}`);
    const workers = [
      ...Array.from({ length: options.llmWorkers }, (_, i) => ({ name: `llm-${i + 1}`, role: 'llm' })),
      ...Array.from({ length: options.trainWorkers }, (_, i) => ({ name: `train-${i + 1}`, role: 'train' })),
    ];
    started.push(...(await Promise.all(workers.map((w) =>
      launchProcess(w.name, 'apps/worker/src/main.ts', { ...common, WORKER_ROLE: w.role, WORKER_ID: w.name, METRICS_PORT: '0' }, / ready: role /, logDir)))));
    say(`orchestrator (API ${apiUrl}), ${options.llmWorkers} LLM worker(s), ${options.trainWorkers} training worker(s); logs in ${logDir}`);
    return { apiUrl, token, redisUrl, processes: started, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
