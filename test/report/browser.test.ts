import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Ledger } from '../../src/run/ledger.js';
import { runScenarios } from '../../src/run/run-scenarios.js';
import { writeReports } from '../../src/report/write-reports.js';
import { loadScenarios } from '../../src/scenario/load.js';

// Debian's chromium; the test never downloads a browser. .ci/run installs it; elsewhere the test skips.
const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`report browser test skipped: ${CHROMIUM} is missing (Debian: apt-get install chromium)`);

const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
// Three scenarios of the default game day and one known gap (the tmux binary gone: it never recovers).
const SCENARIOS = ['spof-001-tmux-server-killed', 'spof-003-config-deleted', 'exhaustion-002-log-growth', 'spof-001-tmux-binary-unavailable']
  .map((name) => `scenarios/tmux-orchestrator/${name}.yaml`);

let work: string;
let reportFile: string;
let shotsDir: string;

beforeAll(async () => {
  if (!hasChromium) return;
  work = mkdtempSync(join(tmpdir(), 'faultline-report-browser-'));
  // Test output, kept for a person to look at (git-ignored); FAULTLINE_SCREENSHOT_DIR puts it elsewhere.
  shotsDir = process.env.FAULTLINE_SCREENSHOT_DIR ?? resolve('test-output', 'report-screenshots');
  mkdirSync(shotsDir, { recursive: true });
  const scenarios = await loadScenarios(SCENARIOS);
  const outcome = await runScenarios(scenarios, { heal: true, gate: false, reportsDir: join(work, 'reports'), ledger: new Ledger(join(work, 'state')) });
  reportFile = (await writeReports(outcome.summary, outcome.runDir, { stepSummary: null })).html;
}, 120_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

// Opens the report in a fresh profile, recording every request and console error; nothing but the file may load.
async function openReport(colorScheme: 'light' | 'dark', use: (context: BrowserContext, seen: { requests: string[]; errors: string[] }) => Promise<void>, width = 1280): Promise<void> {
  const profile = mkdtempSync(join(tmpdir(), 'faultline-chromium-'));
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, args: ARGS, headless: true, colorScheme, viewport: { width, height: 900 }, offline: true });
  const fileUrl = pathToFileURL(reportFile).href;
  const seen = { requests: [] as string[], errors: [] as string[] };
  try {
    context.on('request', (request) => seen.requests.push(request.url()));
    await context.route('**/*', (route) => (route.request().url() === fileUrl ? route.continue() : route.abort('blockedbyclient')));
    await use(context, seen);
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
}

// Unfolds every <details>, so charts in folded sections can be measured.
async function unfoldAll(page: Page): Promise<void> {
  await page.evaluate(() => {
    const page = globalThis as unknown as { document: { querySelectorAll(selector: string): Iterable<{ open: boolean }> } };
    for (const details of page.document.querySelectorAll('details')) details.open = true;
  });
}

describe.skipIf(!hasChromium)('a real run’s report in a browser', () => {
  test('opens offline with no request but the file, no console error, and every chart visible', async () => {
    await openReport('light', async (context, seen) => {
      const page = context.pages()[0] ?? (await context.newPage());
      page.on('console', (message) => { if (message.type() === 'error' || message.type() === 'warning') seen.errors.push(message.text()); });
      page.on('pageerror', (error) => seen.errors.push(error.message));
      await page.goto(pathToFileURL(reportFile).href, { waitUntil: 'load' });
      await unfoldAll(page);

      expect(await page.title()).toMatch(/^Resilience assessment /);
      const charts = page.locator('figure.chart svg');
      // Two risk matrices, Pareto, TTD, RTO and one timeline per scenario.
      expect(await charts.count()).toBeGreaterThanOrEqual(9);
      for (const chart of await charts.all()) {
        expect(await chart.isVisible()).toBe(true);
        const box = (await chart.boundingBox())!;
        expect(box.width).toBeGreaterThan(200);
        expect(box.height).toBeGreaterThan(60);
        expect(await chart.locator('path, line, text').count()).toBeGreaterThan(10);
      }
      expect(seen.requests).toEqual([pathToFileURL(reportFile).href]);
      expect(seen.errors).toEqual([]);
    });
  });

  test('every chart has a title and axis titles with labels', async () => {
    await openReport('light', async (context) => {
      const page = context.pages()[0] ?? (await context.newPage());
      await page.goto(pathToFileURL(reportFile).href, { waitUntil: 'load' });
      const charts = await page.locator('figure.chart svg').all();
      expect(charts.length).toBeGreaterThanOrEqual(9);
      for (const chart of charts) {
        const name = await chart.getAttribute('aria-label');
        const title = (await chart.locator('.role-title-text text').allTextContents()).join(' ').trim();
        expect(title, `title of the chart "${name}"`).not.toBe('');
        const axisTitles = (await chart.locator('.role-axis-title text').allTextContents()).filter((text) => text.trim() !== '');
        expect(axisTitles.length, `axis titles of "${title}"`).toBeGreaterThanOrEqual(2);
        expect(await chart.locator('.role-axis-label text').count(), `axis labels of "${title}"`).toBeGreaterThan(2);
      }
    });
  });

  test('the banner says "known gap", and the run that never recovered sits in a "not recovered" lane, not on the axis', async () => {
    await openReport('light', async (context) => {
      const page = context.pages()[0] ?? (await context.newPage());
      await page.goto(pathToFileURL(reportFile).href, { waitUntil: 'load' });
      const banner = (await page.locator('.verdict-banner').textContent())!;
      expect(banner).toMatch(/3 passed · 1 known gap\b/);
      expect(await page.locator('.verdict-banner').getAttribute('class')).not.toMatch(/\bok\b/);
      const rto = page.locator('figure.chart svg[aria-label^="Time to recover"]');
      expect(await rto.getAttribute('aria-label')).toMatch(/not recovered in their own lane/);
      expect(await rto.locator('.role-axis-title text', { hasText: /^not recovered$/ }).count()).toBe(1);
      expect(await rto.locator('text', { hasText: /^1 of 1 run$/ }).count()).toBe(1);
    });
  });

  test('at 390 px nothing scrolls the page sideways; screenshots at 1400 and 390 px are kept', async () => {
    for (const width of [1400, 390]) {
      await openReport('light', async (context) => {
        const page = context.pages()[0] ?? (await context.newPage());
        await page.goto(pathToFileURL(reportFile).href, { waitUntil: 'load' });
        const [scrollWidth, viewport] = await page.evaluate(() => {
          const page = globalThis as unknown as { document: { documentElement: { scrollWidth: number } }; innerWidth: number };
          return [page.document.documentElement.scrollWidth, page.innerWidth];
        });
        expect(scrollWidth, `page width at ${width} px`).toBeLessThanOrEqual(viewport);
        await page.screenshot({ path: join(shotsDir, `report-${width}.png`), fullPage: true });
      }, width);
      expect(statSync(join(shotsDir, `report-${width}.png`)).size).toBeGreaterThan(50_000);
    }
  });

  test('printed, each section starts a page and folded parts are printed unfolded', async () => {
    await openReport('light', async (context) => {
      const page = context.pages()[0] ?? (await context.newPage());
      await page.goto(pathToFileURL(reportFile).href, { waitUntil: 'load' });
      const folded = page.locator('details.scenario:not([open]) figure.chart svg').first();
      expect(await folded.isVisible()).toBe(false);
      await page.emulateMedia({ media: 'print' });
      expect(await folded.isVisible()).toBe(true);
      const breaks = await page.evaluate(() => {
        const page = globalThis as unknown as { document: { querySelectorAll(selector: string): Iterable<unknown> }; getComputedStyle(element: unknown): { breakBefore: string } };
        return [...page.document.querySelectorAll('main > section')].map((section) => page.getComputedStyle(section).breakBefore);
      });
      expect(breaks.slice(1).every((value) => value === 'page')).toBe(true);
    });
  });

  test('reads in dark mode too (the charts follow the page colours)', async () => {
    await openReport('dark', async (context, seen) => {
      const page = context.pages()[0] ?? (await context.newPage());
      await page.goto(pathToFileURL(reportFile).href, { waitUntil: 'load' });
      await unfoldAll(page);
      // Evaluated in the page; the test's type-check has no DOM library, so the page's globals come typed from here.
      const [background, label] = await page.evaluate(() => {
        const page = globalThis as unknown as { document: { body: unknown; querySelector(selector: string): unknown }; getComputedStyle(element: unknown): { backgroundColor: string; fill: string } };
        return [
          page.getComputedStyle(page.document.body).backgroundColor,
          page.getComputedStyle(page.document.querySelector('figure.chart .role-axis-label text')).fill,
        ];
      });
      expect(background).toBe('rgb(15, 20, 28)');
      expect(label).toBe('rgb(201, 209, 221)');
      await page.screenshot({ path: join(shotsDir, 'report-dark.png'), fullPage: true });
      expect(seen.requests).toHaveLength(1);
    });
  });
});
