// The live dashboard in Debian's Chromium, during a real two-step game day on the reference orchestrator:
// it updates within 1 s of each phase change, takes a note, and its Halt stops the run (rollback, the
// halt journalled, exit 3); a request without the run's token is refused.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, describe, expect, test } from 'vitest';
import { Ledger } from '../../src/run/ledger.js';

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`dashboard browser test skipped: ${CHROMIUM} is missing (Debian: apt-get install chromium)`);
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

const root = join(import.meta.dirname, '..', '..');
const bin = join(root, 'bin', 'faultline.js');
const work = mkdtempSync(join(tmpdir(), `faultline-dashboard-${process.pid}-`));
const reports = join(work, 'reports');
const children: ChildProcess[] = [];
let browser: Browser | undefined;

afterAll(async () => {
  await browser?.close();
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  rmSync(work, { recursive: true, force: true });
});

// Step 1 is not recovered (healer off) within 2 s; step 2's fault stays in effect until someone halts.
const plan = `kind: gameday
title: Dashboard drill
objective: watch it live and stop it
steps:
  - name: session killed
    scenario: kill.yaml
  - name: config corrupted
    scenario: corrupt.yaml
`;
const kill = `id: drill-kill-session
title: session killed
steadyState:
  - probe: tmux.session
    session: proj-a
fault:
  type: tmux.kill-session
  session: proj-a
runs: 1
timeoutMs: 2000
stabilizeMs: 200
`;
const corrupt = `id: drill-corrupt-config
title: config corrupted
steadyState:
  - probe: file.parses
    path: config/orchestrator.conf
    format: shell
fault:
  type: config.corrupt
  path: config/orchestrator.conf
  mode: syntax
runs: 1
timeoutMs: 90000
stabilizeMs: 200
`;

function readJournal(): Record<string, unknown>[] {
  if (!existsSync(reports)) return [];
  const newest = readdirSync(reports).filter((name) => /^\d{8}-/.test(name)).sort().at(-1);
  if (!newest || !existsSync(join(reports, newest, 'journal.jsonl'))) return [];
  return readFileSync(join(reports, newest, 'journal.jsonl'), 'utf8').split('\n').filter(Boolean).flatMap((line) => {
    try { return [JSON.parse(line) as Record<string, unknown>]; } catch { return []; }
  });
}

async function waitFor<T>(what: string, check: () => T | undefined | false, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

// A raw request (any Host header, no token unless given).
function send(port: number, options: { method?: string; path: string; host?: string; headers?: Record<string, string>; body?: string }): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method: options.method ?? 'GET', path: options.path, headers: { Host: options.host ?? `127.0.0.1:${port}`, ...options.headers } }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
      response.destroy();
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

describe.skipIf(!hasChromium)('the live dashboard of a game day', () => {
  test('updates within 1 s of each phase change, takes a note, halts the run (rollback, journalled, exit 3) and refuses requests without the token', async () => {
    writeFileSync(join(work, 'plan.yaml'), plan);
    writeFileSync(join(work, 'kill.yaml'), kill);
    writeFileSync(join(work, 'corrupt.yaml'), corrupt);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true });
    const env = { ...process.env, NO_COLOR: '1', FAULTLINE_STATE_DIR: join(work, 'state'), FAULTLINE_CONTROL_DIR: join(work, 'control') };
    const child = spawn(process.execPath, [bin, 'gameday', 'run', 'plan.yaml', '--heal', 'off', '--reports', reports], { cwd: work, env, stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(child);
    let output = '';
    child.stdout!.on('data', (chunk) => (output += String(chunk)));
    child.stderr!.on('data', (chunk) => (output += String(chunk)));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const url = await waitFor('the dashboard address', () => /dashboard: (http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+)/.exec(output)?.[1], 30_000);
    const port = Number(new URL(url).port);
    const token = new URL(url).searchParams.get('token')!;

    const context = await browser.newContext();
    const requests: string[] = [];
    const errors: string[] = [];
    // Nothing but the dashboard itself may load.
    await context.route('**/*', (route) => {
      requests.push(route.request().url());
      return route.request().url().startsWith(`http://127.0.0.1:${port}/`) ? route.continue() : route.abort('blockedbyclient');
    });
    const page = await context.newPage();
    page.on('console', (message) => { if (message.type() === 'error') errors.push(message.text()); });
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(url, { waitUntil: 'load' });
    // Every change of the phase shown, with the browser's clock.
    await page.evaluate(() => {
      const g = globalThis as unknown as { document: { getElementById(id: string): { getAttribute(name: string): string | null } }; MutationObserver: new (cb: () => void) => { observe(node: unknown, options: unknown): void }; __phases: { at: number; phase: string | null }[] };
      const phase = g.document.getElementById('phase');
      g.__phases = [{ at: Date.now(), phase: phase.getAttribute('data-phase') }];
      new g.MutationObserver(() => g.__phases.push({ at: Date.now(), phase: phase.getAttribute('data-phase') })).observe(phase, { attributes: true, attributeFilter: ['data-phase'] });
    });
    await page.locator('#status[data-state=live]').waitFor({ timeout: 10_000 });

    // Step 2 waiting for a recovery that will not come (healer off): the fault is in effect.
    await waitFor('step 2 to wait for recovery', () => readJournal().some((event) => event.type === 'run.phase' && event.scenario === 'drill-corrupt-config' && event.phase === 'recovering'), 90_000);
    await page.waitForTimeout(300);

    // Requests without the token (or with a wrong one, or from another Host) are refused; the run goes on.
    expect(await send(port, { path: '/' })).toBe(403);
    expect(await send(port, { path: '/events' })).toBe(403);
    expect(await send(port, { path: `/state?token=${token.slice(1)}x` })).toBe(403);
    expect(await send(port, { method: 'POST', path: '/halt', headers: { 'Content-Type': 'application/json' }, body: '{}' })).toBe(403);
    expect(await send(port, { method: 'POST', path: `/halt?token=${token}`, headers: { 'Content-Type': 'application/json' }, body: '{}' })).toBe(403);
    expect(await send(port, { path: `/state?token=${token}`, host: `evil.example:${port}` })).toBe(403);
    expect(await send(port, { method: 'POST', path: '/halt', headers: { 'Content-Type': 'text/plain', 'X-Faultline-Token': token }, body: '{}' })).toBe(415);
    expect(await send(port, { method: 'POST', path: '/halt', headers: { 'Content-Type': 'application/json', 'X-Faultline-Token': token, Origin: 'http://evil.example' }, body: '{}' })).toBe(403);
    expect(child.exitCode).toBeNull();
    expect(readJournal().some((event) => event.type === 'halt')).toBe(false);

    // Each phase that lasted long enough to be seen was on the page within 1 s of its event.
    const journal = readJournal();
    const phases = (await page.evaluate(() => (globalThis as unknown as { __phases: { at: number; phase: string | null }[] }).__phases));
    // A phase ends with the next one or with its scenario.
    const changes = journal.filter((event) => event.type === 'run.phase' || event.type === 'scenario.end');
    const checked: { scenario: string; phase: string; delayMs: number }[] = [];
    for (const [index, event] of changes.entries()) {
      if (event.type !== 'run.phase') continue;
      const next = changes[index + 1]?.t as number | undefined;
      if (next !== undefined && next - (event.t as number) < 250) continue; // over before a person could see it
      if ((event.t as number) < phases[0]!.at) continue; // before the page was open
      const shown = phases.find((entry) => entry.phase === event.phase && entry.at >= (event.t as number) - 50);
      expect(shown, `phase ${String(event.phase)} of ${String(event.scenario)} never shown`).toBeDefined();
      checked.push({ scenario: String(event.scenario), phase: String(event.phase), delayMs: shown!.at - (event.t as number) });
    }
    expect(checked.length).toBeGreaterThanOrEqual(2);
    expect(checked.filter((entry) => entry.scenario === 'drill-corrupt-config').map((entry) => entry.phase)).toContain('recovering');
    for (const { phase, delayMs } of checked) expect(delayMs, phase).toBeLessThan(1000);
    console.info(`dashboard: phase shown after ${checked.map((entry) => `${entry.scenario} ${entry.phase} ${Math.round(entry.delayMs)} ms`).join(', ')}`);
    expect(await page.locator('#step').textContent()).toMatch(/^2\/2 config corrupted/);
    expect(await page.locator('#probes').textContent()).toMatch(/file\.parses.*FAILING/);
    expect(await page.locator('#figures').textContent()).toMatch(/drill-kill-session1.*not recovered/);

    // A note from the page: on the page and in the journal.
    await page.fill('#note-author', 'carol');
    await page.fill('#note-text', 'config broke, nobody paged');
    await page.click('#note-form button[type=submit]');
    await page.locator('#notes li', { hasText: 'carol: config broke, nobody paged' }).waitFor({ timeout: 2000 });
    await waitFor('the note in the journal', () => readJournal().some((event) => event.type === 'note' && event.author === 'carol' && event.message === 'config broke, nobody paged'), 2000);

    // Halt: the fault rolls back, the halt is journalled, the game day exits 3.
    await page.click('#halt');
    await page.locator('#status[data-state=halted]').waitFor({ timeout: 2000 });
    expect(await exited).toBe(3);
    const final = readJournal();
    const types = final.map((event) => event.type);
    expect(final.find((event) => event.type === 'halt')).toMatchObject({ by: 'the dashboard', reason: 'Halt pressed on the dashboard' });
    const rollback = final.filter((event) => event.type === 'fault.rollback' && event.scenario === 'drill-corrupt-config');
    expect(rollback).toEqual([expect.objectContaining({ ok: true })]);
    expect(final.lastIndexOf(rollback[0]!)).toBeGreaterThan(types.indexOf('halt'));
    expect(final.at(-1)).toMatchObject({ type: 'run.end', verdict: 'aborted', exitCode: 3 });
    expect(new Ledger(join(work, 'state')).list()).toEqual([]);
    const report = readFileSync(join(reports, 'latest', 'gameday.md'), 'utf8');
    expect(report).toMatch(/\| halted: Halt pressed on the dashboard \| the dashboard \|/);
    expect(report).toMatch(/\| config broke, nobody paged \| carol \|/);

    expect(errors.filter((text) => !/Failed to load resource|ERR_CONNECTION_REFUSED|EventSource/.test(text))).toEqual([]);
    expect(requests.every((address) => address.startsWith(`http://127.0.0.1:${port}/`))).toBe(true);
    await context.close();
  }, 240_000);
});
