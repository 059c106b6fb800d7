import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { DASHBOARD_HTML } from './dashboard-html.ts';

/** The page and its two assets, as the orchestrator serves them. */
export interface DashboardAssets {
  html: string;
  js: string;
  css: string;
  /** sha256 of the bundle (an ETag). */
  hash: string;
}

/**
 * The Content-Security-Policy the page is served with: its own scripts and styles only (uPlot and the
 * page set inline style attributes), data from its own origin, never framed.
 */
export const DASHBOARD_CSP = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/** Where the browser code starts. */
export const CLIENT_ENTRY = fileURLToPath(new URL('./client/main.ts', import.meta.url));

/** The bundle of client/main.ts (d3-delaunay, uPlot and jsdiff included), built in memory by esbuild's JS API. */
export async function buildDashboard(options: { minify?: boolean } = {}): Promise<DashboardAssets> {
  const result = await build({
    entryPoints: { app: CLIENT_ENTRY },
    bundle: true, format: 'esm', platform: 'browser', target: ['chrome111', 'firefox111', 'safari16'],
    minify: options.minify ?? true, write: false, outdir: 'out', logLevel: 'silent', legalComments: 'eof', charset: 'utf8',
  });
  const text = (ext: string): string => {
    const file = result.outputFiles.find((f) => f.path.endsWith(ext));
    if (!file) throw new Error(`the dashboard bundle has no ${ext} output`);
    return file.text;
  };
  const js = text('.js');
  const css = text('.css');
  return { html: DASHBOARD_HTML, js, css, hash: createHash('sha256').update(js).update(css).digest('hex').slice(0, 16) };
}

let cached: Promise<DashboardAssets> | null = null;

/**
 * The dashboard's assets, built once per process on first use (~1 s; no build step after npm ci).
 * A failed build is not kept: the next call tries again.
 */
export function dashboardAssets(): Promise<DashboardAssets> {
  if (!cached) {
    cached = buildDashboard();
    cached.catch(() => {
      cached = null;
    });
  }
  return cached;
}
