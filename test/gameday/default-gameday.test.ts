// `npm start` is the default game day: the bundled plan on the reference orchestrator, dashboard served,
// every hypothesis held, exit 0, well under 3 minutes; nothing of it is left running.
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, test } from 'vitest';
import { listProcessesUsing } from '../helpers/crash-harness.js';

const root = join(import.meta.dirname, '..', '..');
const work = mkdtempSync(join(tmpdir(), `faultline-default-gameday-${process.pid}-`));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('the default game day (npm start)', () => {
  test('runs the bundled plan with the dashboard, every hypothesis holds, exit 0 in under 3 minutes', async () => {
    const start = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: { start: string } }).scripts.start;
    expect(start).toBe('node bin/faultline.js gameday run scenarios/tmux-orchestrator/gameday.yaml');
    const [node, ...args] = start.split(' ');
    expect(node).toBe('node');
    const began = Date.now();
    const result = await execa(process.execPath, [...args, '--reports', join(work, 'reports')], {
      cwd: root, reject: false, timeout: 180_000, stdin: 'ignore',
      env: { ...process.env, NO_COLOR: '1', FAULTLINE_STATE_DIR: join(work, 'state'), FAULTLINE_CONTROL_DIR: join(work, 'control') },
    });
    const tookMs = Date.now() - began;
    expect(result.exitCode, `${result.stdout}\n${result.stderr}`).toBe(0);
    expect(tookMs).toBeLessThan(180_000);
    expect(String(result.stderr)).toMatch(/dashboard: http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{32}/);
    const report = JSON.parse(readFileSync(join(work, 'reports', 'latest', 'gameday.json'), 'utf8')) as { verdict: string; hypotheses: { verdict: string }[]; steps: { outcome: string }[] };
    expect(report.verdict).toBe('pass');
    expect(report.hypotheses.map((h) => h.verdict)).toEqual(['held', 'held']);
    expect(report.steps.map((step) => step.outcome)).toEqual(['done', 'done', 'done']);
    expect(existsSync(join(work, 'reports', 'latest', 'index.html'))).toBe(true);
    // No live-run registration, no process of the run's targets left.
    expect(readdirSync(join(work, 'control', 'runs'))).toEqual([]);
    const summary = JSON.parse(readFileSync(join(work, 'reports', 'latest', 'summary.json'), 'utf8')) as { targets: { home?: string }[] };
    for (const target of summary.targets) expect(listProcessesUsing(String(target.home))).toEqual([]);
    console.info(`default game day: ${Math.round(tookMs / 100) / 10} s`);
  }, 200_000);
});
