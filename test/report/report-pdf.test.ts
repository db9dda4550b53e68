// `faultline report --pdf`: the HTML report printed through Debian's Chromium (playwright-core, no
// browser download); the test counts the PDF's pages and reads the title in its text.
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
  copyFileSync(join(FIXTURES, 'quick-window-kill.yaml'), join(work, 'quick.yaml'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe.skipIf(!chromium)('report --pdf', () => {
  test('writes a PDF with pages whose text holds the report title and the scenario', async () => {
    const ran = await runFaultline(work, ['run', 'quick.yaml', '-q', '--history', 'off']);
    expect(ran.code, ran.stderr).toBe(0);
    const runId = readlinkSync(join(work, 'reports', 'latest'));
    const printed = await runFaultline(work, ['report', 'reports/latest', '--pdf']);
    expect(printed.code, printed.stderr).toBe(0);
    expect(printed.stdout).toMatch(/PDF: reports\/latest\/report\.pdf \(\d+ KiB\)/);
    const pages = readPdfPages(readFileSync(join(work, 'reports', runId, 'report.pdf')));
    expect(pages.length).toBeGreaterThan(0);
    const text = pages.join('\n');
    expect(text).toContain(`Resilience assessment`);
    expect(text).toContain(runId);
    expect(text).toContain('Agent window killed (history test)');

    // A path given is where it goes.
    const named = await runFaultline(work, ['report', 'reports/latest', '--pdf', join(work, 'review.pdf')]);
    expect(named.code, named.stderr).toBe(0);
    expect(readPdfPages(readFileSync(join(work, 'review.pdf'))).length).toBe(pages.length);
  }, 180_000);

  test('a missing browser is a clear error (exit 2), not a download', async () => {
    const result = await runFaultline(work, ['report', 'reports/latest', '--pdf', join(work, 'none.pdf')], { FAULTLINE_CHROMIUM: join(work, 'no-chromium') });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`no Chromium at ${join(work, 'no-chromium')}`);
    expect(existsSync(join(work, 'none.pdf'))).toBe(false);
  }, 60_000);
});
