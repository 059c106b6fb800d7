import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { z } from 'zod';
import { REPO } from './deploy-dashboard.ts';
import { freePort, runPrometheus } from '@nasfleet/metrics/testing';

/** The shipped Prometheus configuration. */
export const PROMETHEUS_FILE = `${REPO}deploy/prometheus/prometheus.yml`;

/** One series as Prometheus's APIs give it: its labels (`__name__` included) and, for queries, its values. */
export interface PromSeries {
  metric: Record<string, string>;
  values: number[];
}

/** Where the fleet under test listens, to stand in for the compose names of the shipped config. */
export interface LocalFleet {
  /** The orchestrator's API, `host:port`. */
  orchestrator: string;
  /** The orchestrator's API token (written where prometheus.yml's credentials_file points). */
  token: string;
  /** The workers' metrics endpoints, `host:port`, for one targets file (label box="test"). */
  workers: string[];
}

/** A Prometheus server running the shipped configuration. */
export interface DeployPrometheus {
  readonly url: string;
  /** The configuration it runs: the shipped one with only the targets and intervals replaced. */
  readonly config: string;
  targets(): Promise<{ job: string; instance: string; health: string; lastError: string }[]>;
  /** An instant query; rejects with Prometheus's error on a bad expression. */
  query(expr: string): Promise<PromSeries[]>;
  /** A range query as Grafana sends a panel's (start and end in seconds). */
  queryRange(expr: string, start: number, end: number, stepS: number): Promise<PromSeries[]>;
  /** Every series that matched `match` between start and end (seconds). */
  series(match: string, start: number, end: number): Promise<Record<string, string>[]>;
  log(): string;
  close(): Promise<void>;
}

const ScrapeConfig = z.looseObject({ job_name: z.string(), static_configs: z.array(z.looseObject({ targets: z.array(z.string()) })).optional() });
const Config = z.looseObject({ global: z.looseObject({}), scrape_configs: z.array(ScrapeConfig) });

/**
 * The shipped prometheus.yml for a fleet on this machine: the `prometheus` and `orchestrator` jobs'
 * static targets replaced by local addresses and the intervals shortened; authorization, paths and
 * service discovery kept as shipped. Throws when a job the compose deployment needs is missing.
 */
export function localConfig(shipped: string, prometheusAddress: string, fleet: LocalFleet, intervalS: number): string {
  const config = Config.parse(parse(shipped));
  config.global = { ...config.global, scrape_interval: `${intervalS}s`, scrape_timeout: `${intervalS}s` };
  const replaced = { prometheus: prometheusAddress, orchestrator: fleet.orchestrator };
  for (const [job, address] of Object.entries(replaced)) {
    const scrape = config.scrape_configs.find((s) => s.job_name === job);
    if (!scrape?.static_configs?.[0]) throw new Error(`prometheus.yml has no static job ${job}`);
    scrape.static_configs = [{ ...scrape.static_configs[0], targets: [address] }];
  }
  return stringify(config);
}

/**
 * Starts Debian's Prometheus on the shipped configuration (localConfig) laid out as in the
 * repository: prometheus/prometheus.yml, prometheus/targets/test.yml, secrets/api-token, in a
 * temporary folder. Resolves once it is ready.
 */
export async function startDeployPrometheus(fleet: LocalFleet, intervalS = 1): Promise<DeployPrometheus> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'nasfleet-deploy-prometheus-'));
  mkdirSync(join(dir, 'prometheus', 'targets'), { recursive: true });
  mkdirSync(join(dir, 'secrets'));
  const config = localConfig(readFileSync(PROMETHEUS_FILE, 'utf8'), `127.0.0.1:${port}`, fleet, intervalS);
  writeFileSync(join(dir, 'prometheus', 'prometheus.yml'), config);
  writeFileSync(join(dir, 'prometheus', 'targets', 'test.yml'), stringify([{ targets: fleet.workers, labels: { box: 'test' } }]));
  writeFileSync(join(dir, 'secrets', 'api-token'), `${fleet.token}\n`);
  const { url, api, log, close } = await runPrometheus({ dir, configFile: join(dir, 'prometheus', 'prometheus.yml'), port });
  type Result = { resultType: string; result: { metric: Record<string, string>; value?: [number, string]; values?: [number, string][] }[] };
  const series = (data: Result) => data.result.map((r) => ({ metric: r.metric, values: (r.values ?? (r.value ? [r.value] : [])).map((v) => Number(v[1])) }));
  return {
    url, config, log, close,
    async targets() {
      const data = (await api('/api/v1/targets', {})) as { activeTargets: { labels: Record<string, string>; health: string; lastError: string }[] };
      return data.activeTargets.map((t) => ({ job: t.labels.job ?? '', instance: t.labels.instance ?? '', health: t.health, lastError: t.lastError }));
    },
    query: async (expr) => series((await api('/api/v1/query', { query: expr })) as Result),
    queryRange: async (expr, start, end, stepS) => series((await api('/api/v1/query_range', { query: expr, start, end, step: stepS })) as Result),
    series: async (match, start, end) => (await api('/api/v1/series', { 'match[]': match, start, end })) as Record<string, string>[],
  };
}
