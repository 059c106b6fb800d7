import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';

/** Where the tests' screenshots go (git-ignored). */
export const SCREENSHOTS = fileURLToPath(new URL('../.screenshots/', import.meta.url));

/** Debian's chromium, headless, with nothing of its own reaching out to the network. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** Everything the page reported as wrong: console errors, uncaught exceptions, failed requests (what a test expects to stay empty). */
export function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => {
    // A stream the page itself stops (leaving a search) is aborted by design.
    if (!/\/events$/.test(r.url())) errors.push(`request failed: ${r.url()} ${r.failure()?.errorText ?? ''}`);
  });
  return errors;
}

/** Saves a full-page screenshot as <name>.png under SCREENSHOTS; its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = `${SCREENSHOTS}${name}.png`;
  await page.screenshot({ path, fullPage: true });
  return path;
}

/**
 * Pixels of a canvas under `selector` within `tolerance` of the colour `hex` in each channel: how a
 * test sees that uPlot drew a series (it draws on canvas, so there are no elements to count).
 */
export function canvasPixels(page: Page, selector: string, hex: string, tolerance = 40): Promise<number> {
  return page.$eval(selector, (canvas, [colour, tol]) => {
    // This workspace compiles without the DOM library: the canvas as far as this function uses it.
    type Canvas = { width: number; height: number; getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: ArrayLike<number> } } };
    const c = canvas as unknown as Canvas;
    const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    const [r, g, b] = [1, 3, 5].map((i) => parseInt(String(colour).slice(i, i + 2), 16));
    let n = 0;
    for (let i = 0; i < data.length; i += 4) {
      if (data[i + 3]! > 200 && Math.abs(data[i]! - r!) <= Number(tol) && Math.abs(data[i + 1]! - g!) <= Number(tol) && Math.abs(data[i + 2]! - b!) <= Number(tol)) n++;
    }
    return n;
  }, [hex, tolerance] as const);
}

/** The token the page keeps in its tab's sessionStorage (null: none). */
export function storedToken(page: Page): Promise<string | null> {
  return page.evaluate(() => (globalThis as unknown as { sessionStorage: { getItem(key: string): string | null } }).sessionStorage.getItem('nasfleet.token'));
}
