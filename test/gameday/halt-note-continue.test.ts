// `faultline halt` from another shell stops a live run (rollback, halt journalled, exit 3) and refuses the
// next until --clear; a manual step waits for `faultline gameday continue`; `faultline note` reaches the journal.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const bin = join(root, 'bin', 'faultline.js');
let work: string;
let env: NodeJS.ProcessEnv;
const children: ChildProcess[] = [];

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), `faultline-gameday-halt-${process.pid}-`));
  // A private control dir: this test's halt must never stop anyone else's runs on the host.
  env = { ...process.env, NO_COLOR: '1', FAULTLINE_STATE_DIR: join(work, 'state'), FAULTLINE_CONTROL_DIR: join(work, 'control') };
});
afterAll(() => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  rmSync(work, { recursive: true, force: true });
});

const faultline = async (args: string[]) => {
  const result = await execa(process.execPath, [bin, ...args], { cwd: work, env, reject: false, timeout: 120_000, stdin: 'ignore' });
  return { exitCode: result.exitCode ?? -1, stdout: String(result.stdout), stderr: String(result.stderr) };
};

function start(args: string[]): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  const child = spawn(process.execPath, [bin, ...args], { cwd: work, env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let output = '';
  child.stdout!.on('data', (chunk) => (output += String(chunk)));
  child.stderr!.on('data', (chunk) => (output += String(chunk)));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

// The journal of the newest run under `reports`.
function readNewestJournal(reports: string): Record<string, unknown>[] {
  if (!existsSync(reports)) return [];
  const newest = readdirSync(reports).filter((name) => /^\d{8}-/.test(name)).sort().at(-1);
  if (!newest || !existsSync(join(reports, newest, 'journal.jsonl'))) return [];
  return readFileSync(join(reports, newest, 'journal.jsonl'), 'utf8').split('\n').filter(Boolean).flatMap((line) => {
    try { return [JSON.parse(line) as Record<string, unknown>]; } catch { return []; }
  });
}

async function waitFor(what: string, check: () => boolean, timeoutMs = 60_000, output?: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${output ? `:\n${output()}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

// Healer off and a long timeout: the fault stays in effect until something stops the run.
const longScenario = `
id: halt-corrupt-config
title: config corrupted, waiting for a halt
steadyState:
  - probe: file.parses
    path: config/orchestrator.conf
    format: shell
fault:
  type: config.corrupt
  path: config/orchestrator.conf
  mode: syntax
runs: 1
timeoutMs: 60000
stabilizeMs: 200
`;

describe('faultline halt', () => {
  test('from another shell stops a live run: it rolls back, journals the halt, exits 3; the next run is refused until --clear', async () => {
    writeFileSync(join(work, 'long.yaml'), longScenario);
    const reports = join(work, 'reports-halt');
    const run = start(['run', 'long.yaml', '--heal', 'off', '--reports', reports, '--quiet']);
    await waitFor('the fault to be in effect', () => readNewestJournal(reports).some((event) => event.type === 'fault.inject'), 60_000, run.output);

    const halted = await faultline(['halt', '--reason', 'smoke in the server room', '--by', 'tester']);
    expect(halted.exitCode, halted.stdout + halted.stderr).toBe(0);
    expect(halted.stdout).toMatch(/1 live run\(s\) told to stop/);
    expect(halted.stdout).toMatch(/✓ \d{8}-\d{6}-\w+ stopped/);
    expect(await run.exited).toBe(3);

    const journal = readNewestJournal(reports);
    const types = journal.map((event) => event.type);
    expect(journal.find((event) => event.type === 'halt')).toMatchObject({ by: 'faultline halt (tester)', reason: 'smoke in the server room' });
    // Halted while waiting for recovery: the fault rolled back (verified) after the halt, and the run ended aborted, exit 3.
    expect(types.indexOf('fault.rollback')).toBeGreaterThan(types.indexOf('halt'));
    expect(journal.find((event) => event.type === 'fault.rollback')).toMatchObject({ ok: true });
    expect(journal.at(-1)).toMatchObject({ type: 'run.end', verdict: 'aborted', exitCode: 3 });
    expect((await faultline(['recover'])).stdout).toMatch(/nothing to recover/);

    const runsBefore = readdirSync(reports).length;
    const blocked = await faultline(['run', 'long.yaml', '--heal', 'off', '--reports', reports]);
    expect(blocked.exitCode).toBe(3);
    expect(blocked.stderr).toMatch(/runs are halted on this host since .* by tester: smoke in the server room; nothing was started/);
    expect(blocked.stderr).toMatch(/faultline halt --clear/);
    const blockedGameDay = await faultline(['gameday', 'run', join(root, 'scenarios', 'tmux-orchestrator', 'gameday.yaml'), '--no-dashboard', '--reports', reports]);
    expect(blockedGameDay.exitCode).toBe(3);
    expect(readdirSync(reports)).toHaveLength(runsBefore);

    const cleared = await faultline(['halt', '--clear']);
    expect(cleared.stdout).toMatch(/halt lifted .* by tester/);
    // Runs start again: a short one (healer off, not recovered within 500 ms) runs to its verdict and the gate exits 1.
    writeFileSync(join(work, 'short.yaml'), longScenario.replace('timeoutMs: 60000', 'timeoutMs: 500'));
    const again = await faultline(['run', 'short.yaml', '--heal', 'off', '--gate', '--reports', reports, '--quiet']);
    expect(again.exitCode, again.stderr).toBe(1);
  }, 180_000);
});

describe('manual steps and notes', () => {
  test('a manual step waits for `faultline gameday continue`; `faultline note` lands in the journal with its author', async () => {
    writeFileSync(join(work, 'manual.yaml'), [
      'kind: gameday', 'title: Manual step drill', 'objective: a person confirms', 'roles:', '  coordinator: { name: bob }',
      'steps:', '  - name: confirm the page', '    manual:', '      instruction: Check the alert fired, then continue', '      timeoutMs: 120000', '  - pauseMs: 10', '',
    ].join('\n'));
    const reports = join(work, 'reports-manual');
    const day = start(['gameday', 'run', 'manual.yaml', '--no-dashboard', '--reports', reports]);
    await waitFor('the manual step to wait', () => readNewestJournal(reports).some((event) => event.type === 'step.start' && event.kind === 'manual'), 30_000, day.output);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(day.child.exitCode).toBeNull();
    expect(day.output()).toMatch(/Check the alert fired, then continue\n\s+waiting for `faultline gameday continue`/);

    const noted = await faultline(['note', 'alert', 'fired', 'at', '10:02', '--author', 'alice']);
    expect(noted.exitCode, noted.stderr).toBe(0);
    await waitFor('the note', () => readNewestJournal(reports).some((event) => event.type === 'note' && event.author === 'alice'));
    expect(day.child.exitCode).toBeNull();

    const continued = await faultline(['gameday', 'continue', '--by', 'bob']);
    expect(continued.exitCode, continued.stderr).toBe(0);
    expect(await day.exited).toBe(0);
    const journal = readNewestJournal(reports);
    expect(journal.find((event) => event.type === 'note' && event.author === 'alice')).toMatchObject({ message: 'alert fired at 10:02' });
    expect(journal.find((event) => event.type === 'step.end' && event.index === 0)).toMatchObject({ outcome: 'continued', by: 'bob' });
    const report = readFileSync(join(reports, 'latest', 'gameday.md'), 'utf8');
    expect(report).toMatch(/\| alert fired at 10:02 \| alice \|/);
    expect(report).toMatch(/\| 1 \| confirm the page \| manual \| continued by bob \|/);
    // Nothing is live any more: a note now has nowhere to go.
    expect((await faultline(['note', 'late'])).exitCode).toBe(2);
  }, 90_000);

  test('a manual step not continued in time halts the game day (exit 3) when onTimeout is halt', async () => {
    writeFileSync(join(work, 'timeout.yaml'), ['kind: gameday', 'title: Nobody home', 'objective: o', 'steps:', '  - manual:', '      instruction: nobody will', '      timeoutMs: 1000', '  - pauseMs: 10', ''].join('\n'));
    const reports = join(work, 'reports-timeout');
    const result = await faultline(['gameday', 'run', 'timeout.yaml', '--no-dashboard', '--reports', reports, '--quiet']);
    expect(result.exitCode).toBe(3);
    const journal = readNewestJournal(reports);
    expect(journal.find((event) => event.type === 'step.end')).toMatchObject({ outcome: 'timed-out' });
    expect(journal.find((event) => event.type === 'halt')).toMatchObject({ by: 'a manual step' });
    expect(journal.filter((event) => event.type === 'step.start')).toHaveLength(1);
  }, 60_000);
});
