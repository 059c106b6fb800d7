import { describe, expect, it } from 'vitest';
import { buildDashboard, DASHBOARD_CSP, DASHBOARD_HTML, dashboardAssets } from './index.ts';

describe('the dashboard bundle', () => {
  it('is one self-contained ES module and one stylesheet, built in memory, once per process', async () => {
    const assets = await dashboardAssets();
    expect(await dashboardAssets()).toBe(assets);
    // Bundled: no import of a package (or any module) is left for the browser to resolve.
    expect(assets.js).not.toMatch(/\bimport\s*[^(]*?from\s*["']/);
    expect(assets.js).not.toMatch(/\bimport\s*\(/);
    // The libraries are in: d3-delaunay's Voronoi, uPlot, jsdiff.
    expect(assets.js).toMatch(/renderCell/);
    expect(assets.js).toMatch(/uplot/i);
    expect(assets.css).toMatch(/\.uplot/);
    expect(assets.css).toMatch(/\.archive-map/);
    expect(assets.hash).toMatch(/^[0-9a-f]{16}$/);
  });

  it('loads its assets relative to the page and allows only its own origin', async () => {
    expect(DASHBOARD_HTML).toContain('src="./app.js"');
    expect(DASHBOARD_HTML).toContain('href="./app.css"');
    expect(DASHBOARD_CSP).toContain("script-src 'self'");
    expect(DASHBOARD_CSP).toContain("connect-src 'self'");
    const readable = await buildDashboard({ minify: false });
    // The token never goes to localStorage (kept past the tab) or into a query string.
    expect(readable.js).toContain('sessionStorage');
    expect(readable.js).not.toContain('localStorage');
  });
});
