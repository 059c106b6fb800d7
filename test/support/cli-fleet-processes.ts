import { randomBytes } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { startNodeProcess, startRedis } from '@nasfleet/fleet-testing';
import type { NodeProcess, TestRedis } from '@nasfleet/fleet-testing';
import { startOllamaDouble } from '@nasfleet/ollama-double';
import type { OllamaDouble } from '@nasfleet/ollama-double';
import { createRuleResponder } from './rule-responder.ts';

/** The model the Ollama double serves. */
export const DOUBLE_MODEL = 'slow-rule';

/** A fleet the CLI tests talk to: the API's URL and token, the Ollama double's URL, every process's output. */
export interface CliTestFleet {
  readonly url: string;
  readonly token: string;
  readonly redisUrl: string;
  /** The Ollama double: the rule operators' edits, each answer after `answerDelayMs`, so a search runs long enough to watch. */
  readonly llmUrl: string;
  /** Every line each process wrote, prefixed by its name (for failure messages). */
  logs(): string;
  stop(): Promise<void>;
}

/**
 * A real fleet on this machine, as a user starts one: a redis-server on a free port, the orchestrator
 * process with its HTTP API on a free port and a fresh token, one LLM worker and `trainWorkers`
 * training workers (processes of apps/orchestrator and apps/worker, `node --import tsx`). The LLM is
 * the Ollama double answering as the rule operators would, slowed by `answerDelayMs` per answer.
 */
export async function startCliTestFleet(options: { trainWorkers?: number; answerDelayMs?: number } = {}): Promise<CliTestFleet> {
  const processes = new Map<string, NodeProcess>();
  let redis: TestRedis | null = null;
  let double: OllamaDouble | null = null;
  const stop = async () => {
    await Promise.all([...processes.values()].map((p) => p.stop('SIGKILL')));
    await double?.close();
    await redis?.close();
  };
  try {
    redis = await startRedis();
    const responder = createRuleResponder({ inputShape: [28, 28, 1], numClasses: 10 });
    const wait = options.answerDelayMs ?? 0;
    double = await startOllamaDouble({ models: [DOUBLE_MODEL], respond: async (request) => (await delay(wait), responder(request)) });
    const token = randomBytes(24).toString('hex');
    const base = { ...process.env, REDIS_URL: redis.url, METRICS_PORT: 'off' };
    const orchestrator = await startNodeProcess('apps/orchestrator/src/main.ts',
      { ...base, ORCHESTRATOR_ID: 'orch-cli', API_TOKEN: token, API_HOST: '127.0.0.1', API_PORT: '0', POLL_MS: '200', SWEEP_MS: '1000' }, /orchestrator .* ready/, 180_000);
    processes.set('orchestrator', orchestrator);
    const ready = orchestrator.lines.find((l) => /orchestrator .* ready/.test(l)) ?? '';
    const url = /api (http:\/\/\S+)/.exec(ready)?.[1];
    if (!url) throw new Error(`the orchestrator did not say where its API is: ${ready}`);
    const workers = [{ name: 'llm-1', role: 'llm' }, ...Array.from({ length: options.trainWorkers ?? 0 }, (_, i) => ({ name: `train-${i + 1}`, role: 'train' }))];
    await Promise.all(workers.map(async (w) => {
      processes.set(w.name, await startNodeProcess('apps/worker/src/main.ts', { ...base, WORKER_ROLE: w.role, WORKER_ID: w.name, TRAIN_MEMORY_MB: '2048' }, / ready: role /, 180_000));
    }));
    const llmUrl = double.url;
    return {
      url, token, redisUrl: redis.url, llmUrl, stop,
      logs: () => [...processes].map(([name, p]) => p.lines.map((l) => `[${name}] ${l}`).join('\n')).join('\n'),
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
