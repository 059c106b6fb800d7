import { startRedis } from '@nasfleet/fleet-testing';
import type { TestRedis } from '@nasfleet/fleet-testing';
import { startOllamaDouble } from '@nasfleet/ollama-double';
import type { OllamaDouble } from '@nasfleet/ollama-double';
import { createRuleResponder } from '../../test/support/rule-responder.ts';
import type { RuleResponder } from '../../test/support/rule-responder.ts';
import { FleetProcesses } from './fleet-processes.ts';

/**
 * A turnstile for the LLM's answers: each request waits for a permit, so a test decides when results
 * arrive (a search that stays running, then moves on cue). `open()` lets everything through.
 */
export class AnswerGate {
  private permits: number;
  private unlimited = false;
  private readonly waiting: (() => void)[] = [];
  /** Answers given so far. */
  answered = 0;

  constructor(permits: number) {
    this.permits = permits;
  }

  async take(): Promise<void> {
    if (!this.unlimited && this.permits <= 0) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.permits -= 1;
    this.answered += 1;
  }

  /** Lets `n` more answers through. */
  release(n: number): void {
    for (let i = 0; i < n; i++) {
      const next = this.waiting.shift();
      if (next) next();
      else this.permits += 1;
    }
  }

  open(): void {
    this.unlimited = true;
    for (const next of this.waiting.splice(0)) next();
  }
}

/** A fleet whose API serves the dashboard: redis-server, the Ollama double behind a gate, an LLM worker and an orchestrator. */
export interface DashboardFleet {
  readonly apiUrl: string;
  readonly token: string;
  readonly double: OllamaDouble;
  readonly gate: AnswerGate;
  /** Answers like the rule operators; `responder.next(...)` queues broken answers. */
  readonly responder: RuleResponder;
  readonly processes: FleetProcesses;
  /** GET on the API with the token, JSON. */
  get<T>(path: string): Promise<T>;
  /** POST /v1/searches with the token; the new search's id. */
  submit(spec: Record<string, unknown>): Promise<string>;
  stop(): Promise<void>;
}

export const DASHBOARD_MODEL = 'm';

/**
 * Starts the fleet with the test's environment `env` (its processes get it plus their own variables);
 * the gate starts with `permits` answers allowed. Everything started is stopped again if a step fails.
 */
export async function startDashboardFleet(env: Record<string, string | undefined>, permits: number): Promise<DashboardFleet> {
  const token = 'dashboard-test-token-0123456789';
  const gate = new AnswerGate(permits);
  let redis: TestRedis | null = null;
  let double: OllamaDouble | null = null;
  let processes: FleetProcesses | null = null;
  const stop = async () => {
    gate.open();
    await processes?.stopAll();
    await double?.close();
    await redis?.close();
  };
  try {
    redis = await startRedis();
    const responder = createRuleResponder({ inputShape: [28, 28, 1], numClasses: 10 });
    double = await startOllamaDouble({
      models: [DASHBOARD_MODEL],
      respond: async (request) => {
        await gate.take();
        return responder(request);
      },
    });
    processes = new FleetProcesses({ ...env, REDIS_URL: redis.url });
    // Answers are held at the gate for as long as the test likes: the worker must not give up on them.
    await processes.worker('llm-1', { WORKER_ROLE: 'llm', WORKER_CONCURRENCY: '4', LLM_TIMEOUT_MS: '600000' });
    const orchestrator = await processes.orchestrator('orch-1', { POLL_MS: '200', API_TOKEN: token, API_HOST: '127.0.0.1', API_PORT: '0' });
    const ready = orchestrator.lines.find((l) => /api http:\/\//.test(l)) ?? '';
    const apiUrl = /api (http:\/\/\S+)/.exec(ready)?.[1];
    if (!apiUrl) throw new Error(`the orchestrator did not say where its API listens:\n${orchestrator.lines.join('\n')}`);
    const call = async <T>(path: string, init: RequestInit = {}): Promise<T> => {
      const res = await fetch(`${apiUrl}${path}`, { ...init, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...init.headers } });
      if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${path}: ${res.status} ${await res.text()}`);
      return (await res.json()) as T;
    };
    return {
      apiUrl, token, double, gate, responder, processes,
      get: (path) => call(path),
      submit: async (spec) => (await call<{ search: { id: string } }>('/v1/searches', { method: 'POST', body: JSON.stringify(spec) })).search.id,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
