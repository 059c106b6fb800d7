import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { canvasPixels, launchChromium, screenshot, storedToken, watchErrors } from './support/dashboard-browser.ts';
import { DASHBOARD_MODEL, startDashboardFleet } from './support/dashboard-fleet.ts';
import type { DashboardFleet } from './support/dashboard-fleet.ts';
import { waitFor } from './support/fleet-search.ts';

/**
 * The dashboard page of a running search, in headless Chromium, against a real fleet: redis-server,
 * an orchestrator serving the API and the page, an LLM worker whose Ollama server (the double) answers
 * only when the test lets it. The page must draw the archives' Voronoi cells (one SVG path per niche,
 * as many filled as the API's archive has cells), the fitness curve, the outcomes; grow when a result
 * arrives; open a candidate with its code, diff and lineage and walk to its parent; show the end.
 */

const EVALUATIONS = 40;
const GENERATION = 4;
/** The best-of-generation series' colour in fitness-chart.ts. */
const BEST_COLOUR = '#21908d';

type Detail = {
  progress: { told: number };
  search: { status: string };
  archives: Record<string, { size: number; niches: number }>;
  outcomes: { ok: number; failed: number; byFailureClass: Record<string, number> };
};

let fleet: DashboardFleet;
let browser: Browser;
let searchId: string;

beforeAll(async () => {
  // Enough answers for the seeding phase and a few generations; then the search waits at the gate.
  fleet = await startDashboardFleet(process.env, 16);
  // Two answers with no valid cell: failed candidates, for the outcomes by failure class.
  fleet.responder.next('cooperative', 'syntax-error', 'cooperative', 'syntax-error');
  searchId = await fleet.submit({
    id: 'dashboard-nb201',
    space: { name: 'nb201', options: { dataset: 'cifar10' } },
    // Seeded from the initial network (the hybrid's default seeds are samples): every candidate after the first is the LLM's.
    config: { strategy: 'hybrid', seed: 2, generationSize: GENERATION, llmatic: { seeding: 'initial' } },
    evaluations: EVALUATIONS,
    llm: { provider: 'ollama', endpoint: fleet.double.url, generatorModel: DASHBOARD_MODEL },
  });
  // Stalled at the gate with some results in: told stops growing while requests wait.
  await waitFor(async () => {
    const d = await fleet.get<Detail>(`/v1/searches/${searchId}`);
    return d.progress.told >= 8 && fleet.double.requests.length > fleet.gate.answered;
  }, 'the search to stall at the gate with results in', 240_000, 200);
  browser = await launchChromium();
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await fleet?.stop();
});

const told = async () => (await fleet.get<Detail>(`/v1/searches/${searchId}`)).progress.told;

describe('the dashboard page of a running search', () => {
  it('draws the archives, the curve and the outcomes, grows when results arrive, opens a candidate, and shows the end', { timeout: 420_000 }, async () => {
    const page = await browser.newPage({ viewport: { width: 1500, height: 1000 } });
    const errors = watchErrors(page);
    await page.goto(`${fleet.apiUrl}/dashboard/#token=${fleet.token}&search=${searchId}`);
    // The token left the URL for sessionStorage.
    await waitFor(async () => !page.url().includes('token='), 'the token to leave the URL', 30_000, 100);
    expect(await storedToken(page)).toBe(fleet.token);
    await page.locator(`[data-search="${searchId}"]`).waitFor();

    // The network and prompt archives: every niche a Voronoi cell, the filled ones as the API has them.
    await page.locator('#network-archive path.cell').first().waitFor({ timeout: 60_000 });
    const network = await fleet.get<{ niches: number; cells: unknown[] }>(`/v1/searches/${searchId}/archives/network`);
    expect(await page.locator('#network-archive path.cell').count()).toBe(network.niches);
    await waitFor(async () => (await page.locator('#network-archive path.cell.filled').count()) === network.cells.length, 'the filled cells to match the API', 30_000, 200);
    expect(network.cells.length).toBeGreaterThan(1);
    const prompt = await fleet.get<{ niches: number; cells: unknown[] }>(`/v1/searches/${searchId}/archives/prompt`);
    expect(await page.locator('#prompt-archive path.cell').count()).toBe(prompt.niches);
    await waitFor(async () => (await page.locator('#prompt-archive path.cell.filled').count()) === prompt.cells.length, 'the prompt archive\'s cells', 30_000, 200);

    // The curve: one point per generation told so far, drawn in the best series' colour; the outcomes.
    const before = await told();
    await waitFor(async () => Number(await page.locator('#told').getAttribute('data-told')) === before, 'the page to show the told count', 30_000, 200);
    expect(Number(await page.locator('#fitness-chart').getAttribute('data-generations'))).toBe(Math.ceil(before / GENERATION));
    expect(await canvasPixels(page, '#fitness-chart canvas', BEST_COLOUR)).toBeGreaterThan(50);
    // The outcomes: one bar per failure class, as the API counts them.
    const { outcomes } = await fleet.get<Detail>(`/v1/searches/${searchId}`);
    expect(outcomes.failed).toBeGreaterThan(0);
    for (const [name, n] of Object.entries({ ok: outcomes.ok, ...outcomes.byFailureClass })) {
      expect(await page.locator(`#outcomes li[data-class="${name}"] .bar-count`).textContent(), name).toBe(String(n));
    }
    expect(await page.locator('#stream').textContent()).toBe('events: live');
    console.log(`dashboard: ${network.niches} network niches drawn, ${network.cells.length} filled; ${prompt.cells.length} prompt cells; ${before} told`);
    console.log(`screenshot ${await screenshot(page, 'dashboard-running')}`);

    // A result arrives: the page grows without a reload.
    const filledBefore = await page.locator('#network-archive path.cell.filled').count();
    fleet.gate.release(6);
    await waitFor(async () => Number(await page.locator('#told').getAttribute('data-told')) > before, 'the page\'s told count to grow', 120_000, 200);
    const grown = Number(await page.locator('#told').getAttribute('data-told'));
    expect(grown).toBeGreaterThan(before);
    expect(grown).toBeLessThanOrEqual(await told());
    // Until the released answers are all told and drawn, a cell's occupant can change under the click.
    let last = -1;
    await waitFor(async () => {
      const now = await told();
      const settled = now === last && Number(await page.locator('#told').getAttribute('data-told')) === now;
      last = now;
      return settled;
    }, 'the released results to be told and drawn', 120_000, 1_500);

    // A candidate: pick a filled cell whose occupant is not the first candidate, so it has a parent.
    const cell = page.locator('#network-archive path.cell.filled:not([data-id="c000000"])').first();
    const cid = await cell.getAttribute('data-id');
    await cell.click();
    await page.locator('#candidate-id', { hasText: cid! }).waitFor();
    await page.locator('#candidate-code').waitFor();
    expect((await page.locator('#candidate-code').textContent())!.length).toBeGreaterThan(10);
    const ancestors = page.locator('#candidate .tree .ancestors .node-button');
    // The view re-renders as answers and events arrive: wait for the tree itself, not just the code.
    await ancestors.first().waitFor();
    expect(await ancestors.count()).toBeGreaterThan(0);
    expect(await page.locator('#candidate h3', { hasText: 'Diff against its parent' }).count()).toBe(1);
    console.log(`screenshot ${await screenshot(page, 'dashboard-candidate')}`);
    // Walk the tree: the nearest ancestor (last in the root-first list) is the candidate's parent.
    const parentId = await ancestors.last().getAttribute('data-candidate');
    await ancestors.last().click();
    await page.locator('#candidate-id', { hasText: parentId! }).waitFor();
    // Its children come from the candidates the page knows, which the live view may still be catching up on.
    await page.locator(`#candidate .tree .children [data-candidate="${cid}"]`).first().waitFor();
    expect(page.url()).toContain(`candidate=${parentId}`);

    // The rest of the search: the page follows it to the end.
    fleet.gate.open();
    await page.locator('#search-status', { hasText: 'done' }).waitFor({ timeout: 240_000 });
    await waitFor(async () => Number(await page.locator('#told').getAttribute('data-told')) === EVALUATIONS, 'every result on the page', 60_000, 200);
    await page.locator('#stream', { hasText: 'ended' }).waitFor({ timeout: 30_000 });
    expect(await page.locator('#network-archive path.cell.filled').count()).toBeGreaterThanOrEqual(filledBefore);
    expect(Number(await page.locator('#fitness-chart').getAttribute('data-generations'))).toBe(EVALUATIONS / GENERATION);
    await page.locator(`[data-search="${searchId}"] .pill`, { hasText: 'done' }).waitFor({ timeout: 30_000 });
    console.log(`screenshot ${await screenshot(page, 'dashboard-done')}`);
    expect(await page.locator('#fatal').isHidden()).toBe(true);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('asks for the token when it has none, says when it is wrong, and shows no data without it', { timeout: 120_000 }, async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${fleet.apiUrl}/dashboard/#search=${searchId}`);
    await page.locator('#login').waitFor();
    expect(await page.locator('#app').isHidden()).toBe(true);
    await page.fill('#token-input', 'not-the-token-at-all');
    await page.click('#login button[type=submit]');
    await page.locator('#login-error', { hasText: '401' }).waitFor();
    expect(await storedToken(page)).toBeNull();
    await page.fill('#token-input', fleet.token);
    await page.click('#login button[type=submit]');
    await page.locator(`[data-search="${searchId}"]`).waitFor();
    await page.locator('#network-archive path.cell').first().waitFor();
    expect(errors).toEqual([]);
    await page.close();
  });
});
