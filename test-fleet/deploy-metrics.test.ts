import { execFile } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedis } from '@nasfleet/fleet-testing';
import type { TestRedis } from '@nasfleet/fleet-testing';
import { startOllamaDouble } from '@nasfleet/ollama-double';
import type { OllamaDouble } from '@nasfleet/ollama-double';
import { createRedisStore } from '@nasfleet/store';
import type { SearchStore } from '@nasfleet/store';
import { createRuleResponder } from '../test/support/rule-responder.ts';
import type { RuleResponder } from '../test/support/rule-responder.ts';
import { AnswerGate } from './support/dashboard-fleet.ts';
import { freePort } from './support/deploy-files.ts';
import { loadDashboard, panelQueries, REPO, substitute } from './support/deploy-dashboard.ts';
import { startDeployPrometheus } from './support/deploy-prometheus.ts';
import type { DeployPrometheus } from './support/deploy-prometheus.ts';
import { scanLabelValues, scanPromql } from './support/deploy-promql.ts';
import type { Selector } from './support/deploy-promql.ts';
import { FleetProcesses } from './support/fleet-processes.ts';
import { searchEnded, submit, waitFor } from './support/fleet-search.ts';
import type { FleetSpec } from './support/fleet-search.ts';

/**
 * The Grafana dashboard against a live fleet: an orchestrator, an LLM worker and a training worker
 * as users start them, on a real redis-server, with the Ollama double as the LLM, scraped by a real
 * Prometheus running the shipped deploy/prometheus/prometheus.yml (its bearer-token job for the
 * orchestrator, its file-discovered workers; only the addresses and intervals are the test's). An
 * NB201 search and a small code-space search (trained on Fashion-MNIST) run, a few LLM answers
 * broken so that failures exist. Then every panel query is asked as Grafana asks it (a range query)
 * and must return series, and show a positive value at some point of the run; every metric and
 * label the queries name must be among the series Prometheus scraped, every `label="value"` among
 * their values, and every nasfleet metric on a process's own /metrics. Also the images'
 * HEALTHCHECK script against these processes.
 */

const TOKEN = 'deploy-metrics-test-token-0123';
const MODEL = 'test-model';
const NB201_EVALUATIONS = 16;
const CODE_EVALUATIONS = 4;
/** `$__rate_interval` as Grafana makes it for a 1 s scrape interval (at least four scrapes). */
const RATE_INTERVAL = '15s';

let redis: TestRedis;
let store: SearchStore;
let double: OllamaDouble;
let responder: RuleResponder;
let fleet: FleetProcesses;
let prometheus: DeployPrometheus | undefined;
const ports = { api: 0, llm: 0, train: 0 };
let runStart = 0;
let runEnd = 0;

const portOf = (line: string) => Number(/:(\d+)(?:\/metrics)?\b/.exec(line.split(' on ').at(-1) ?? '')?.[1]);

beforeAll(async () => {
  redis = await startRedis();
  store = createRedisStore({ redis: redis.url });
  responder = createRuleResponder({ inputShape: [28, 28, 1], numClasses: 10 });
  // Broken answers, so that failure classes reach the metrics (the first requests get them).
  responder.next('no-code', 'ramble', 'no-code');
  // Answers wait at a gate until Prometheus has scraped the search's series at 0: a counter's first
  // scraped value is invisible to rate(), and the broken answers come first.
  const gate = new AnswerGate(0);
  double = await startOllamaDouble({
    models: [MODEL],
    respond: async (request) => {
      await gate.take();
      return responder(request);
    },
  });
  fleet = new FleetProcesses({ ...process.env, REDIS_URL: redis.url });
  const metricsEnv = { METRICS_PORT: '0', METRICS_HOST: '127.0.0.1' };
  const [orchestrator, llm, train] = await Promise.all([
    fleet.orchestrator('orch', { API_TOKEN: TOKEN, API_HOST: '127.0.0.1', API_PORT: '0', POLL_MS: '200', SWEEP_MS: '1000' }),
    fleet.worker('llm', { WORKER_ROLE: 'llm', ...metricsEnv }),
    fleet.worker('train', { WORKER_ROLE: 'train', TRAIN_MEMORY_MB: '2048', ...metricsEnv }),
  ]);
  ports.api = Number(/api http:\/\/127\.0\.0\.1:(\d+)/.exec(await orchestrator.waitForLine(/ready: .*api http/))?.[1]);
  ports.llm = portOf(await llm.waitForLine(/ metrics on http:/));
  ports.train = portOf(await train.waitForLine(/ metrics on http:/));
  expect(Object.values(ports).every((p) => p > 0), JSON.stringify(ports)).toBe(true);

  const p = await startDeployPrometheus({ orchestrator: `127.0.0.1:${ports.api}`, token: TOKEN, workers: [`127.0.0.1:${ports.llm}`, `127.0.0.1:${ports.train}`] });
  prometheus = p;
  await waitFor(async () => {
    const targets = await p.targets();
    return targets.length === 4 && targets.every((t) => t.health === 'up');
  }, `every target of the shipped config up (prometheus log:\n${p.log()})`, 60_000, 200);
  runStart = Math.floor(Date.now() / 1000) - 2;

  const llmSettings = { provider: 'ollama' as const, endpoint: double.url, generatorModel: MODEL, improverModel: null, maxTokens: 2048 };
  // Seeded from the initial network (the hybrid's default seeds are samples, no LLM call): the LLM answers from the start.
  const nb201: FleetSpec = { space: { name: 'nb201', options: { dataset: 'cifar10' } }, config: { strategy: 'hybrid', seed: 7, llmatic: { seeding: 'initial' } }, evaluations: NB201_EVALUATIONS, llm: llmSettings, replay: false };
  const code: FleetSpec = {
    space: { name: 'code', options: { train: { epochs: 1, trainSubset: 256, batchSize: 64, learningRate: 0.05 }, validation: { count: 64 } } },
    config: { strategy: 'hybrid', seed: 3, llmatic: { seeding: 'initial' } }, evaluations: CODE_EVALUATIONS, llm: llmSettings, depth: 2, replay: false,
  };
  // NB201 first, until the broken answers are spent: the code search's candidates then train (a
  // histogram's first observation creates its series, which rate() cannot see: several must succeed).
  await submit(store, nb201, 'deploy-nb201');
  await waitFor(async () => (await p.query('nasfleet_search_results_total{search="deploy-nb201", outcome="failed", failure_class="extraction"}')).length > 0, 'the search\'s series scraped', 60_000, 200);
  await new Promise((r) => setTimeout(r, 1_500));
  gate.open();
  await waitFor(async () => responder.turns.length > 4, 'the broken answers spent on NB201', 120_000, 100);
  await submit(store, code, 'deploy-code');
  for (const id of ['deploy-nb201', 'deploy-code']) expect((await searchEnded(store, id)).status, fleet.logs()).toBe('done');
  // A few scrapes after the end, so the last values are in Prometheus.
  await waitFor(async () => (await p.query('nasfleet_search_told_candidates')).reduce((sum, s) => sum + (s.values[0] ?? 0), 0) === NB201_EVALUATIONS + CODE_EVALUATIONS, 'the final counts scraped', 60_000, 200);
  await new Promise((r) => setTimeout(r, 3_000));
  runEnd = Math.ceil(Date.now() / 1000);
}, 420_000);

afterAll(async () => {
  await prometheus?.close();
  await fleet?.stopAll();
  await double?.close();
  await store?.close();
  await redis?.close();
});

const dashboard = loadDashboard();
/** Panel queries that may honestly read zero through a whole run; every other one must show a positive value at some point. */
const MAY_STAY_ZERO = new Set<string>();

describe('the provisioned dashboard against a live fleet scraped with the shipped prometheus.yml', () => {
  it('the shipped jobs scrape every process: the orchestrator through its bearer token, the workers from a targets file', async () => {
    const targets = await prometheus!.targets();
    expect(targets.map((t) => `${t.job} ${t.health}`).sort()).toEqual(['orchestrator up', 'prometheus up', 'workers up', 'workers up']);
    expect((await prometheus!.query('up{job="workers", box="test"}')).length).toBe(2);
  });

  it('every panel query, asked as Grafana asks it, returns series and shows a positive value during the run', async () => {
    const problems: string[] = [];
    for (const q of panelQueries(dashboard)) {
      const expr = substitute(q.expr, dashboard, RATE_INTERVAL);
      const series = await prometheus!.queryRange(expr, runStart, runEnd, 1).catch((e: unknown) => problems.push(`${q.name}: ${(e as Error).message}`));
      if (typeof series === 'number') continue;
      if (series.length === 0) problems.push(`${q.name}: no series for ${expr}`);
      else if (!MAY_STAY_ZERO.has(q.name) && !series.some((s) => s.values.some((v) => Number.isFinite(v) && v > 0))) problems.push(`${q.name}: never above 0 in the run: ${expr}`);
    }
    expect(problems).toEqual([]);
  });

  it('every metric, label and label value the queries and variables name was scraped from the fleet', async () => {
    const seen = new Map<string, Record<string, string>[]>();
    const seriesOf = async (metric: string) => {
      if (!seen.has(metric)) seen.set(metric, await prometheus!.series(metric, runStart, runEnd));
      return seen.get(metric)!;
    };
    const problems: string[] = [];
    const checkSelector = async (where: string, s: Selector) => {
      const series = await seriesOf(s.metric);
      if (series.length === 0) return problems.push(`${where}: metric ${s.metric} was never scraped`);
      for (const m of s.matchers) {
        if (!series.some((labels) => m.label in labels)) problems.push(`${where}: ${s.metric} has no label ${m.label}`);
        else if (m.op === '=' && !series.some((labels) => labels[m.label] === m.value)) problems.push(`${where}: ${s.metric} never had ${m.label}="${m.value}" (seen: ${[...new Set(series.map((l) => l[m.label]))].join(', ')})`);
      }
    };
    const uses = [...panelQueries(dashboard).map((q) => ({ where: q.name, use: scanPromql(substitute(q.expr, dashboard, RATE_INTERVAL)) }))];
    for (const { where, use } of uses) {
      for (const s of use.selectors) await checkSelector(where, s);
      for (const g of use.groupings) {
        if (g.metrics.length === 0) problems.push(`${where}: ${g.clause} (${g.labels.join(', ')}) applies to no metric`);
        for (const label of g.labels) {
          const has = await Promise.all(g.metrics.map(async (m) => (await seriesOf(m)).some((l) => label in l)));
          if (!has.some(Boolean)) problems.push(`${where}: ${g.clause} (${label}): no series of ${g.metrics.join(', ')} has it`);
        }
      }
    }
    for (const v of dashboard.templating.list) {
      const { selector, label } = scanLabelValues(v.query.query);
      await checkSelector(`variable ${v.name}`, { ...selector, matchers: [...selector.matchers, { label, op: '=~', value: '.+' }] });
    }
    expect(problems).toEqual([]);
    // The panels cover what the deployment promises to show.
    const metrics = new Set(uses.flatMap((u) => u.use.selectors.map((s) => s.metric)));
    for (const m of ['nasfleet_queue_jobs', 'nasfleet_jobs_total', 'nasfleet_search_results_total', 'nasfleet_worker_busy_ratio', 'nasfleet_train_duration_seconds_bucket', 'nasfleet_llm_request_duration_seconds_bucket', 'nasfleet_train_images_per_second_sum', 'nasfleet_llm_completion_tokens_total', 'nasfleet_search_archive_coverage_ratio', 'nasfleet_search_archive_qd_score', 'nasfleet_search_best_fitness']) {
      expect(metrics, m).toContain(m);
    }
  });

  it("every nasfleet metric the dashboard names is on a process's own /metrics", async () => {
    const texts = await Promise.all([
      fetch(`http://127.0.0.1:${ports.api}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } }),
      fetch(`http://127.0.0.1:${ports.llm}/metrics`),
      fetch(`http://127.0.0.1:${ports.train}/metrics`),
    ].map(async (r) => (await r).text()));
    const exported = new Set(texts.flatMap((t) => t.split('\n').filter((l) => l !== '' && !l.startsWith('#')).map((l) => /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(l)?.[0] ?? '')));
    const named = new Set(panelQueries(dashboard).flatMap((q) => scanPromql(substitute(q.expr, dashboard, RATE_INTERVAL)).selectors.map((s) => s.metric)));
    const missing = [...named].filter((m) => m.startsWith('nasfleet_') && !exported.has(m));
    expect(missing).toEqual([]);
    expect(named.size).toBeGreaterThan(15);
  });
});

/** Runs the images' HEALTHCHECK script with `env`: its exit code and output. */
function healthcheck(env: Record<string, string>): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [`${REPO}deploy/docker/healthcheck.mjs`], { env: { PATH: process.env.PATH ?? '', ...env } }, (error, stdout, stderr) => {
      resolve({ code: typeof error?.code === 'number' ? error.code : 0, output: `${stdout}${stderr}`.trim() });
    });
  });
}

describe('the images\' HEALTHCHECK (deploy/docker/healthcheck.mjs)', () => {
  it("asks the orchestrator's /healthz (API_PORT) and a worker's (METRICS_PORT); a closed port fails, naming it", async () => {
    expect(await healthcheck({ API_PORT: String(ports.api) })).toEqual({ code: 0, output: `healthcheck: http://127.0.0.1:${ports.api}/healthz ok` });
    expect((await healthcheck({ WORKER_ROLE: 'train', METRICS_PORT: String(ports.train) })).code).toBe(0);
    expect((await healthcheck({ WORKER_ROLE: 'llm', METRICS_PORT: String(ports.llm) })).code).toBe(0);
    const free = await freePort();
    const closed = await healthcheck({ WORKER_ROLE: 'llm', METRICS_PORT: String(free) });
    expect(closed).toEqual({ code: 1, output: `healthcheck: http://127.0.0.1:${free}/healthz: connect ECONNREFUSED 127.0.0.1:${free}` });
    const notFound = await healthcheck({ HEALTHCHECK_URL: `http://127.0.0.1:${ports.llm}/nothing-here` });
    expect(notFound).toEqual({ code: 1, output: `healthcheck: http://127.0.0.1:${ports.llm}/nothing-here answered 404` });
    expect(await healthcheck({ WORKER_ROLE: 'train', METRICS_PORT: 'off' })).toEqual({ code: 0, output: 'healthcheck: METRICS_PORT=off, no endpoint to check' });
  });
});
