import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

/** The repository root (this file is test-fleet/support/…). */
export const REPO = fileURLToPath(new URL('../../', import.meta.url));
/** The provisioned dashboard, as Grafana reads it from deploy/grafana/dashboards. */
export const DASHBOARD_FILE = `${REPO}deploy/grafana/dashboards/nasfleet-fleet.json`;

const Datasource = z.object({ type: z.literal('prometheus'), uid: z.string().min(1) });
const GridPos = z.object({ h: z.number().int().positive(), w: z.number().int().min(1).max(24), x: z.number().int().min(0).max(23), y: z.number().int().min(0) });
const Target = z.object({ refId: z.string().min(1), expr: z.string().min(1), legendFormat: z.string().optional(), datasource: Datasource.optional() });
const Row = z.object({ id: z.number().int(), type: z.literal('row'), title: z.string().min(1), gridPos: GridPos });
const Panel = z.object({
  id: z.number().int(), type: z.enum(['timeseries', 'stat']), title: z.string().min(1), description: z.string().min(1),
  gridPos: GridPos, datasource: Datasource, targets: z.array(Target).min(1),
});
const Variable = z.object({
  name: z.string().min(1), type: z.literal('query'), datasource: Datasource,
  query: z.object({ query: z.string().min(1) }), allValue: z.string().optional(), includeAll: z.boolean().optional(),
});
/** What the tests rely on of a dashboard file: Grafana's JSON model, in the parts they read (others pass through). */
export const DashboardModel = z.object({
  uid: z.string().min(1), title: z.string().min(1), schemaVersion: z.number().int(),
  panels: z.array(z.union([Row, Panel])),
  templating: z.object({ list: z.array(Variable) }),
});
export type DashboardModel = z.infer<typeof DashboardModel>;
export type DashboardPanel = z.infer<typeof Panel>;

/** The dashboard file parsed, or an error naming the file and what is wrong. */
export function loadDashboard(file = DASHBOARD_FILE): DashboardModel {
  const parsed = DashboardModel.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success) throw new Error(`${file}: not a dashboard the tests can read: ${parsed.error.message}`);
  return parsed.data;
}

/** The panels that query (rows left out). */
export function queryPanels(dashboard: DashboardModel): DashboardPanel[] {
  return dashboard.panels.filter((p): p is DashboardPanel => p.type !== 'row');
}

/** One query of a panel, named for messages. */
export interface PanelQuery {
  name: string;
  expr: string;
}

/** Every panel target's query, named `panel title / refId`. */
export function panelQueries(dashboard: DashboardModel): PanelQuery[] {
  return queryPanels(dashboard).flatMap((p) => p.targets.map((t) => ({ name: `${p.title} / ${t.refId}`, expr: t.expr })));
}

/**
 * An expression with Grafana's variables replaced as Grafana would: `$__rate_interval` by
 * `rateInterval`, a dashboard variable by its all-value (or `.*`). Throws on a variable it does not know.
 */
export function substitute(expr: string, dashboard: DashboardModel, rateInterval: string): string {
  return expr.replace(/\$(\w+)|\$\{(\w+)\}/g, (whole, plain: string | undefined, braced: string | undefined) => {
    const name = plain ?? braced ?? '';
    if (name === '__rate_interval' || name === '__interval') return rateInterval;
    const variable = dashboard.templating.list.find((v) => v.name === name);
    if (!variable) throw new Error(`${JSON.stringify(expr)}: unknown variable ${whole}`);
    return variable.allValue ?? '.*';
  });
}
