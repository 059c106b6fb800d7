import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** One sample of an instant query's vector: its labels and value. */
export interface PromSample {
  metric: Record<string, string>;
  value: number;
}

/** One scrape target as /api/v1/targets shows it. */
export interface PromTarget {
  job: string;
  instance: string;
  health: 'up' | 'down' | 'unknown';
  lastError: string;
}

/** A Prometheus server a test owns. */
export interface TestPrometheus {
  readonly url: string;
  /** Every active target and its health. */
  targets(): Promise<PromTarget[]>;
  /** An instant query through /api/v1/query; rejects on a bad expression or a non-vector result. */
  query(expr: string): Promise<PromSample[]>;
  /** Its log so far (stderr), for a failing test's message. */
  log(): string;
  /** SIGTERM, wait for the exit, remove its data folder. */
  close(): Promise<void>;
}

export interface StartPrometheusOptions {
  /** Scrape jobs: job name → `host:port` addresses whose /metrics it scrapes. */
  jobs: Record<string, string[]>;
  /** Seconds between scrapes (default 1). */
  scrapeIntervalS?: number;
  /** Milliseconds to wait for /-/ready (default 60 s: a loaded machine starts it slowly). */
  readyTimeoutMs?: number;
}

/** A free TCP port on 127.0.0.1 (for a server a test starts). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A Prometheus process a test started: its address, its HTTP API (the answer's `data`), its log. */
export interface PrometheusProcess {
  readonly url: string;
  /** GET `path` with `params` as the query; rejects with Prometheus's error when the status is not success. */
  api(path: string, params?: Record<string, string | number>): Promise<unknown>;
  /** Its log so far (stderr), for a failing test's message. */
  log(): string;
  /** SIGTERM, wait for the exit, remove `dir`. */
  close(): Promise<void>;
}

/**
 * Runs Debian's `/usr/bin/prometheus` on `configFile` at 127.0.0.1:`port`, its TSDB in `dir`/data,
 * and waits until it is ready (`readyTimeoutMs`, default 60 s: a loaded machine starts it slowly).
 * `dir` is the test's own temporary folder: close removes it, as does a failed start.
 */
export async function runPrometheus(options: { dir: string; configFile: string; port: number; readyTimeoutMs?: number }): Promise<PrometheusProcess> {
  const { dir, configFile, port } = options;
  const child = spawn('prometheus', [`--config.file=${configFile}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr.on('data', (chunk: Buffer) => (log += chunk.toString('utf8')));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const spawned = new Promise<void>((resolve, reject) => {
    child.once('spawn', resolve);
    child.once('error', (e) => reject(new Error(`cannot start prometheus (install Debian's prometheus): ${e.message}`)));
  });
  const url = `http://127.0.0.1:${port}`;
  const close = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await spawned;
    const deadline = Date.now() + (options.readyTimeoutMs ?? 60_000);
    for (;;) {
      if (child.exitCode !== null) throw new Error(`prometheus exited with code ${child.exitCode}:\n${log}`);
      const ready = await fetch(`${url}/-/ready`).then((r) => r.ok, () => false);
      if (ready) break;
      if (Date.now() > deadline) throw new Error(`prometheus on ${url} was not ready in time:\n${log}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  } catch (error) {
    await close();
    throw error;
  }
  const api = async (path: string, params: Record<string, string | number> = {}): Promise<unknown> => {
    const query = new URLSearchParams(Object.entries(params).map(([k, v]): [string, string] => [k, String(v)]));
    const response = await fetch(`${url}${path}${query.size > 0 ? `?${query}` : ''}`);
    const body = (await response.json()) as { status: string; data?: unknown; error?: string };
    if (body.status !== 'success') throw new Error(`prometheus ${path} ${JSON.stringify(params)}: ${body.error ?? response.status}`);
    return body.data;
  };
  return { url, api, log: () => log, close };
}

/**
 * Starts Debian's `/usr/bin/prometheus` on a free 127.0.0.1 port with a generated config (the given
 * jobs, every `scrapeIntervalS`), its TSDB in a temporary folder, and waits until it is ready. For tests.
 */
export async function startPrometheus(options: StartPrometheusOptions): Promise<TestPrometheus> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'nasfleet-prometheus-'));
  const interval = `${options.scrapeIntervalS ?? 1}s`;
  const jobs = Object.entries(options.jobs).map(([job, targets]) => ({ job_name: job, static_configs: [{ targets }] }));
  // JSON is YAML: no YAML writer needed.
  writeFileSync(join(dir, 'prometheus.yml'), JSON.stringify({ global: { scrape_interval: interval, scrape_timeout: interval }, scrape_configs: jobs }, null, 2));
  const p = await runPrometheus({ dir, configFile: join(dir, 'prometheus.yml'), port, ...(options.readyTimeoutMs ? { readyTimeoutMs: options.readyTimeoutMs } : {}) });
  return {
    url: p.url,
    async targets() {
      const data = (await p.api('/api/v1/targets')) as { activeTargets: { labels: { job: string; instance: string }; health: PromTarget['health']; lastError: string }[] };
      return data.activeTargets.map((t) => ({ job: t.labels.job, instance: t.labels.instance, health: t.health, lastError: t.lastError }));
    },
    async query(expr) {
      const data = (await p.api('/api/v1/query', { query: expr })) as { resultType: string; result: { metric: Record<string, string>; value: [number, string] }[] };
      if (data.resultType !== 'vector') throw new Error(`prometheus query ${expr}: a ${data.resultType}, not a vector`);
      return data.result.map((r) => ({ metric: r.metric, value: Number(r.value[1]) }));
    },
    log: p.log,
    close: p.close,
  };
}
