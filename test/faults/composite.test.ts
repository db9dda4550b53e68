// composite against a live reference orchestrator: steps act in order with their delays, t0 is the first
// step, rollback undoes the steps that started in reverse order, and validation names paths inside steps.
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { inspectScenarioFiles } from '../../src/scenario/load.js';
import { formatProblem } from '../../src/validate/problem.js';
import type { ReferenceTarget } from '../../src/targets/reference/index.js';
import { disposeAll, prepareFault, startTarget, sha256File as sha256 } from './fault-steps.js';

const modeOf = (path: string) => statSync(path).mode & 0o7777;
let target: ReferenceTarget;
let config: string;
let registry: string;
let shadow: string;

beforeAll(async () => {
  target = await startTarget();
  config = join(target.dir, 'config', 'orchestrator.conf');
  registry = join(target.dir, 'registry', 'sessions.json');
  shadow = join(target.dir, 'bin', 'python3');
});
afterAll(disposeAll);

const cascade = (delayMs: number) => ({
  type: 'composite',
  steps: [
    { fault: { type: 'config.corrupt', path: 'config/orchestrator.conf', mode: 'syntax' } },
    { fault: { type: 'file.chmod', path: 'registry/sessions.json' }, delayMs },
    { fault: { type: 'binary.shadow', binary: 'python3' }, delayMs },
  ],
});

describe('composite', () => {
  test('injects the first step at once and the rest after their delays; rollback undoes them in reverse order', async () => {
    const before = { config: sha256(config), registry: modeOf(registry) };
    const fault = await prepareFault(target, cascade(150));
    const started = performance.now();
    await fault.inject();
    expect(sha256(config)).not.toBe(before.config); // step 1 is in effect when inject returns (t0)
    expect(modeOf(registry)).toBe(before.registry);
    expect(await fault.verify()).toBe(true); // resolves once every step ran and was in effect
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
    expect(modeOf(registry)).toBe(0);
    expect(existsSync(shadow)).toBe(true);

    const result = await fault.rollback();
    expect(result.ok).toBe(true);
    expect(result.detail).toMatch(/^step 3 binary\.shadow: .*; step 2 file\.chmod: .*; step 1 config\.corrupt: /);
    expect(sha256(config)).toBe(before.config);
    expect(modeOf(registry)).toBe(before.registry);
    expect(existsSync(shadow)).toBe(false);
    expect((await fault.rollback()).ok).toBe(true); // idempotent
  });

  test('a rollback during the delays stops the sequence: only the steps that started are undone', async () => {
    const before = { config: sha256(config), registry: modeOf(registry) };
    const fault = await prepareFault(target, cascade(5000));
    await fault.inject();
    const result = await fault.rollback();
    expect(result).toMatchObject({ ok: true, detail: expect.stringMatching(/^step 1 config\.corrupt: .*; steps 2–3 never started$/) });
    expect(sha256(config)).toBe(before.config);
    expect(modeOf(registry)).toBe(before.registry);
    expect(existsSync(shadow)).toBe(false);
  });

  test('every step is prepared (guards checked) before the first acts; a refusal names the step’s field', async () => {
    const before = sha256(config);
    const bad = { type: 'composite', steps: [{ fault: { type: 'config.corrupt', path: 'config/orchestrator.conf', mode: 'syntax' } }, { fault: { type: 'config.delete', path: '/etc/hostname' } }] };
    await expect(prepareFault(target, bad)).rejects.toThrow(/^fault\.steps\.1\.fault\.path: \/etc\/hostname is outside the target's roots/);
    expect(sha256(config)).toBe(before);
  });

  test('faultline validate reports problems inside steps at their own paths', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'faultline-composite-'));
    try {
      writeFileSync(join(dir, 'steps.yaml'), [
        'id: bad-steps',
        'title: bad steps',
        'steadyState: [{ probe: tmux.session, session: tmux-orc }]',
        'fault:',
        '  type: composite',
        '  steps:',
        '    - fault: { type: process.kill, pidfile: run/scheduler.pid, signal: SIGFOO }',
        '    - fault: { type: config.corupt, path: x }',
        '      delayMs: -1',
        '    - fault: { type: composite, steps: [] }',
        '',
      ].join('\n'));
      const problems = (await inspectScenarioFiles([join(dir, 'steps.yaml')])).problems.map(formatProblem).map((line) => line.slice(dir.length + 1));
      expect(problems).toEqual([
        expect.stringMatching(/^steps\.yaml:7:\d+ fault\.steps\.0\.fault\.signal: expected one of SIGKILL, .*; got "SIGFOO"$/),
        expect.stringMatching(/^steps\.yaml:8:\d+ fault\.steps\.1\.fault\.type: expected one of .*config\.corrupt.*; got "config\.corupt"; did you mean "config\.corrupt"\?$/),
        expect.stringMatching(/^steps\.yaml:9:\d+ fault\.steps\.1\.delayMs: expected a number ≥ 0; got -1$/),
        expect.stringMatching(/^steps\.yaml:10:\d+ fault\.steps\.2\.fault\.type: expected one of (?:(?!composite)[^;])*; got "composite"$/),
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
