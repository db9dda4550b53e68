import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext } from 'playwright-core';
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

let work: string;
let reportFile: string;
let shotsDir: string;

beforeAll(async () => {
  if (!hasChromium) return;
  work = mkdtempSync(join(tmpdir(), 'faultline-report-browser-'));
  // Set FAULTLINE_SCREENSHOT_DIR to keep the screenshots; by default they go with the temp dir.
  shotsDir = process.env.FAULTLINE_SCREENSHOT_DIR ?? join(work, 'screenshots');
  mkdirSync(shotsDir, { recursive: true });
  const scenarios = await loadScenarios(['scenarios'], { tags: ['default'] });
  const outcome = await runScenarios(scenarios, { heal: true, gate: false, reportsDir: join(work, 'reports'), ledger: new Ledger(join(work, 'state')) });
  reportFile = (await writeReports(outcome.summary, outcome.runDir, { stepSummary: null })).html;
}, 120_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

// Opens the report in a fresh profile, recording every request and console error; nothing but the file may load.
async function openReport(colorScheme: 'light' | 'dark', use: (context: BrowserContext, seen: { requests: string[]; errors: string[] }) => Promise<void>): Promise<void> {
  const profile = mkdtempSync(join(tmpdir(), 'faultline-chromium-'));
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, args: ARGS, headless: true, colorScheme, viewport: { width: 1280, height: 900 }, offline: true });
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

describe.skipIf(!hasChromium)('the default game day’s report in a browser', () => {
  test('opens offline with no request but the file, no console error, and every chart visible', async () => {
    await openReport('light', async (context, seen) => {
      const page = context.pages()[0] ?? (await context.newPage());
      page.on('console', (message) => { if (message.type() === 'error' || message.type() === 'warning') seen.errors.push(message.text()); });
      page.on('pageerror', (error) => seen.errors.push(error.message));
      await page.goto(pathToFileURL(reportFile).href, { waitUntil: 'load' });

      expect(await page.title()).toMatch(/^Resilience assessment /);
      const charts = page.locator('figure.chart svg');
      // Risk matrix, Pareto, TTD, RTO and one timeline per scenario.
      expect(await charts.count()).toBeGreaterThanOrEqual(7);
      for (const chart of await charts.all()) {
        expect(await chart.isVisible()).toBe(true);
        const box = (await chart.boundingBox())!;
        expect(box.width).toBeGreaterThan(200);
        expect(box.height).toBeGreaterThan(60);
        expect(await chart.locator('path, line, text').count()).toBeGreaterThan(10);
      }
      await page.screenshot({ path: join(shotsDir, 'report-light.png'), fullPage: true });
      expect(seen.requests).toEqual([pathToFileURL(reportFile).href]);
      expect(seen.errors).toEqual([]);
    });
    expect(statSync(join(shotsDir, 'report-light.png')).size).toBeGreaterThan(50_000);
  });

  test('reads in dark mode too (the charts follow the page colours)', async () => {
    await openReport('dark', async (context, seen) => {
      const page = context.pages()[0] ?? (await context.newPage());
      await page.goto(pathToFileURL(reportFile).href, { waitUntil: 'load' });
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
