export { buildDashboard, CLIENT_ENTRY, DASHBOARD_CSP, dashboardAssets } from './dashboard-assets.ts';
export type { DashboardAssets } from './dashboard-assets.ts';
export { DASHBOARD_HTML } from './dashboard-html.ts';
