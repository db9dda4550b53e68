// `faultline report --pdf`: a game day's report printed through Debian's Chromium (playwright-core, no
// browser download); the test counts the PDF's pages and reads the plan's title in its text.
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, readlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { FIXTURES, runFaultline } from '../history/cli-helper.js';
import { readPdfPages } from './pdf-text.js';

const chromium = existsSync('/usr/bin/chromium');
let work: string;
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'faultline-pdf-history-'));
  for (const file of ['quick-window-kill.yaml', 'quick-gameday.yaml']) copyFileSync(join(FIXTURES, file), join(work, file));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe.skipIf(!chromium)('report --pdf', () => {
  test('writes a PDF with pages whose text holds the plan’s title; a game day is also in the history', async () => {
    const ran = await runFaultline(work, ['gameday', 'run', 'quick-gameday.yaml', '--no-dashboard', '-q']);
    expect(ran.code, ran.stderr).toBe(0);
    const runId = readlinkSync(join(work, 'reports', 'latest'));
    const printed = await runFaultline(work, ['report', 'reports/latest', '--pdf']);
    expect(printed.code, printed.stderr).toBe(0);
    expect(printed.stdout).toMatch(/PDF: reports\/latest\/report\.pdf \(\d+ KiB\)/);
    const pages = readPdfPages(readFileSync(join(work, 'reports', runId, 'report.pdf')));
    expect(pages.length).toBeGreaterThan(0);
    const text = pages.join('\n');
    expect(text).toContain('Quick history game day');
    expect(text).toContain('quick-window-kill');
    // The history's part of the game-day report: the score with its formula, and earlier game days (none yet).
    expect(text).toMatch(/Resilience score: [\d.]+ \/ 100/);
    expect(text).toContain('No earlier game day of this plan in the history.');

    // The game day was indexed by the history listener, as a game day with its plan's title.
    const history = JSON.parse((await runFaultline(work, ['history', '--json', '--kind', 'gameday'])).stdout) as { runs: { runId: string; title: string; plan: string; scenarios: { id: string; recovered: number }[] }[] };
    expect(history.runs).toHaveLength(1);
    expect(history.runs[0]).toMatchObject({ runId, title: 'Quick history game day', plan: join(work, 'quick-gameday.yaml') });
    expect(history.runs[0]!.scenarios).toMatchObject([{ id: 'quick-window-kill', recovered: 1 }]);

    // A plain run folder prints its run report; a path given is where the PDF goes.
    const plain = await runFaultline(work, ['run', 'quick-window-kill.yaml', '-q']);
    expect(plain.code, plain.stderr).toBe(0);
    const named = await runFaultline(work, ['report', 'reports/latest', '--pdf', join(work, 'review.pdf')]);
    expect(named.code, named.stderr).toBe(0);
    const runText = readPdfPages(readFileSync(join(work, 'review.pdf'))).join('\n');
    expect(runText).toContain(`Resilience assessment`);
    expect(runText).toContain(readlinkSync(join(work, 'reports', 'latest')));
  }, 240_000);

  test('a missing browser is a clear error (exit 2), never a download', async () => {
    const result = await runFaultline(work, ['report', 'reports/latest', '--pdf', join(work, 'none.pdf')], { FAULTLINE_CHROMIUM: join(work, 'no-chromium') });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`no Chromium at ${join(work, 'no-chromium')}`);
    expect(existsSync(join(work, 'none.pdf'))).toBe(false);
  }, 60_000);
});
