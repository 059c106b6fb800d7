import { readFileSync } from 'node:fs';
import { posix } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { z } from 'zod';
import { resolveCompose } from './support/deploy-compose.ts';
import { DASHBOARD_FILE, loadDashboard, panelQueries, queryPanels, REPO, substitute } from './support/deploy-dashboard.ts';
import { PromqlScanError, scanLabelValues, scanPromql } from './support/deploy-promql.ts';

/**
 * Grafana's provisioning as files (no Grafana runs here): the datasource and the dashboard provider
 * are what Grafana's provisioning reads, their paths and names agree with docker-compose.yml's
 * mounts and services, and the dashboard has a fixed uid, the panels the deployment promises, on a
 * grid without overlaps, each on the provisioned datasource. Then the PromQL scanner that the live
 * test (deploy-metrics.test.ts) uses to read the panels' queries.
 */

const PROVISIONING = `${REPO}deploy/grafana/provisioning/`;
const Datasources = z.object({
  apiVersion: z.literal(1),
  datasources: z.array(z.object({ name: z.string(), uid: z.string(), type: z.literal('prometheus'), access: z.literal('proxy'), url: z.url(), isDefault: z.boolean() })).length(1),
});
const Providers = z.object({
  apiVersion: z.literal(1),
  providers: z.array(z.object({ name: z.string(), type: z.literal('file'), options: z.object({ path: z.string().startsWith('/') }) })).length(1),
});

const dashboard = loadDashboard();

describe('Grafana provisioning files', () => {
  it('the datasource is the compose Prometheus, with the uid every panel names; the provider reads the folder compose mounts', async () => {
    const { datasources: [source] } = Datasources.parse(parse(readFileSync(`${PROVISIONING}datasources/prometheus.yaml`, 'utf8')));
    const { providers: [provider] } = Providers.parse(parse(readFileSync(`${PROVISIONING}dashboards/nasfleet.yaml`, 'utf8')));
    const project = await resolveCompose([]);
    const grafana = project.services.grafana!;
    const prometheus = project.services.prometheus!;
    expect(source!.url).toBe('http://prometheus:9090');
    expect(prometheus.ports?.[0]).toMatch(/:9090\/tcp$/);
    const mounts = (grafana.volumes as string[]).map((v) => v.split(':'));
    expect(mounts).toContainEqual([`${REPO}deploy/grafana/provisioning`, '/etc/grafana/provisioning', 'ro']);
    expect(mounts).toContainEqual([`${REPO}deploy/grafana/dashboards`, provider!.options.path, 'ro']);
    // The home dashboard is the provisioned file, as the container sees it.
    expect(grafana.environment?.GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH).toBe(posix.join(provider!.options.path, 'nasfleet-fleet.json'));
    expect(DASHBOARD_FILE.endsWith('deploy/grafana/dashboards/nasfleet-fleet.json')).toBe(true);
    for (const p of queryPanels(dashboard)) {
      expect({ panel: p.title, uid: p.datasource.uid }).toEqual({ panel: p.title, uid: source!.uid });
    }
    for (const v of dashboard.templating.list) expect(v.datasource.uid).toBe(source!.uid);
  });

  it('the dashboard: fixed uid, unique panel ids, panels inside the 24-column grid and never on top of each other', () => {
    expect(dashboard.uid).toBe('nasfleet-fleet');
    const ids = dashboard.panels.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    const cells = new Map<string, string>();
    for (const p of dashboard.panels) {
      const { x, y, w, h } = p.gridPos;
      expect({ panel: p.title, right: x + w <= 24 }).toEqual({ panel: p.title, right: true });
      for (let i = x; i < x + w; i++) {
        for (let j = y; j < y + h; j++) {
          const other = cells.get(`${i},${j}`);
          expect({ panel: p.title, overlaps: other }).toEqual({ panel: p.title, overlaps: undefined });
          cells.set(`${i},${j}`, p.title);
        }
      }
    }
  });

  it('the panels the deployment promises are there, each query readable and with unique refIds per panel', () => {
    const titles = queryPanels(dashboard).map((p) => p.title);
    for (const wanted of [
      'Queue depth by queue and state', 'Jobs per second', 'Failures by class', 'Training workers busy', 'Training latency (p50, p95)',
      'LLM latency (p50, p95)', 'Training images per second', 'LLM tokens per second', 'Archive coverage', 'QD score', 'Best fitness',
    ]) expect(titles).toContain(wanted);
    for (const p of queryPanels(dashboard)) expect(new Set(p.targets.map((t) => t.refId)).size).toBe(p.targets.length);
    for (const q of panelQueries(dashboard)) expect(() => scanPromql(substitute(q.expr, dashboard, '1m')), q.name).not.toThrow();
    // Per-search panels follow the search variable.
    const perSearch = queryPanels(dashboard).filter((p) => ['Archive coverage', 'QD score', 'Best fitness'].includes(p.title));
    for (const p of perSearch) expect(p.targets[0]!.expr).toContain('search=~"$search"');
  });

  it('substitute fills Grafana\'s rate interval and the variables, and refuses one it does not know', () => {
    expect(substitute('rate(x{search=~"$search"}[$__rate_interval])', dashboard, '15s')).toBe('rate(x{search=~".*"}[15s])');
    expect(() => substitute('x{a="$nope"}', dashboard, '15s')).toThrow('"x{a=\\"$nope\\"}": unknown variable $nope');
  });
});

describe('scanPromql', () => {
  it('finds selectors with their matchers, and grouping labels with the metrics in their scope', () => {
    expect(scanPromql('histogram_quantile(0.95, sum by (le, model) (rate(a_bucket{outcome="ok", m=~"x.*"}[5m])))')).toEqual({
      selectors: [{ metric: 'a_bucket', matchers: [{ label: 'outcome', op: '=', value: 'ok' }, { label: 'm', op: '=~', value: 'x.*' }] }],
      groupings: [{ clause: 'by', labels: ['le', 'model'], metrics: ['a_bucket'] }],
    });
    const suffix = scanPromql('sum(rate(a_total[1m])) by (q) / on (q) group_left b{c!="d"} or vector(0)');
    expect(suffix.selectors.map((s) => s.metric)).toEqual(['a_total', 'b']);
    expect(suffix.groupings).toEqual([
      { clause: 'by', labels: ['q'], metrics: ['a_total'] },
      { clause: 'on', labels: ['q'], metrics: ['a_total', 'b'] },
    ]);
    expect(scanPromql('max_over_time(up[10m:1s]) offset 5m').selectors).toEqual([{ metric: 'up', matchers: [] }]);
  });

  it('refuses what it cannot read, naming the place', () => {
    expect(() => scanPromql('{__name__="x"}')).toThrow(PromqlScanError);
    expect(() => scanPromql('{__name__="x"}')).toThrow('at 0: a selector without a metric name');
    expect(() => scanPromql('rate(x[$__rate_interval])')).toThrow('a dashboard variable left unsubstituted');
    expect(() => scanPromql('sum by (a (x)')).toThrow(/expected a label name|unclosed/);
    expect(() => scanPromql('x{a="b}')).toThrow('unterminated string');
    expect(() => scanPromql('x{a}')).toThrow('expected label="value"');
  });

  it('reads Grafana\'s label_values(metric, label)', () => {
    expect(scanLabelValues('label_values(m{a="b"}, search)')).toEqual({ selector: { metric: 'm', matchers: [{ label: 'a', op: '=', value: 'b' }] }, label: 'search' });
    expect(() => scanLabelValues('query_result(up)')).toThrow('not a label_values(metric, label) query: "query_result(up)"');
  });
});
