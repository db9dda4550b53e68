// Root rollback against a hostile target: while a fault is live, the target's own uid (setpriv) swaps the
// file faultline will restore for a symlink to a root-owned 0600 decoy outside the instance, a hard link
// to it, or a directory — before the rollback, and at every single operation the rollback makes. The decoy's
// sha256, mode and owner must never change; a rollback that cannot restore says why (ok: false).
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterEach, describe, expect, test } from 'vitest';
import { getFaultDefinition } from '../../src/faults/registry.js';
import type { FaultState, RollbackResult } from '../../src/faults/types.js';
import { Ledger } from '../../src/run/ledger.js';
import { recoverIntents } from '../../src/run/recover.js';
import { canRunHostile, createHostileInstance, type HostileInstance, type SwapKind } from '../helpers/hostile-target.js';
import { checkFaultParams, type FaultParams } from './fault-steps.js';

// The per-operation hook exists only in the fixed code; without it only the "before rollback" swaps run.
const safeFs = (await import('../../src/util/safe-fs.js' as string).catch(() => undefined)) as { setSafeFsHook?: (hook: ((operation: string, path: string) => void) | undefined) => void } | undefined;
const setHook = safeFs?.setSafeFsHook;

const disposables: Array<() => void> = [];
afterEach(() => {
  setHook?.(undefined);
  for (const dispose of disposables.splice(0)) dispose();
});

/** A fault prepared and injected against a fresh hostile instance. */
interface LiveFault {
  instance: HostileInstance;
  state: FaultState;
  stateDir: string;
  params: FaultParams;
  rollback(): Promise<RollbackResult>;
}

async function startFault(fault: FaultParams): Promise<LiveFault> {
  const instance = createHostileInstance();
  const stateDir = mkdtempSync(join(tmpdir(), 'faultline-swap-state-'));
  disposables.push(() => instance.dispose(), () => rmSync(stateDir, { recursive: true, force: true }));
  const params = checkFaultParams(fault);
  const definition = getFaultDefinition(params.type);
  const context = { target: instance.target, stateDir };
  await definition.plan(params, context);
  const state = await definition.prepare(params, context);
  await definition.inject(params, context, state);
  return { instance, state, stateDir, params, rollback: () => definition.rollback(params, context, state) };
}

const conf = 'config/orchestrator.conf';
const log = 'logs/orchestrator.log';
const cases: Array<{ name: string; fault: FaultParams; victim: (live: LiveFault) => string }> = [
  { name: 'config.corrupt', fault: { type: 'config.corrupt', path: conf, mode: 'random-bytes' }, victim: () => conf },
  { name: 'config.delete', fault: { type: 'config.delete', path: conf }, victim: () => conf },
  { name: 'file.chmod', fault: { type: 'file.chmod', path: conf, mode: '000' }, victim: () => conf },
  { name: 'disk.log-growth', fault: { type: 'disk.log-growth', path: log, bytesPerSecond: 65_536, maxBytes: 4096 }, victim: () => log },
  { name: 'disk.temp-files', fault: { type: 'disk.temp-files', path: 'tmp', count: 4, sizeBytes: 64 }, victim: (live) => `tmp/${String(live.state.prefix)}00001` },
];
const kinds: SwapKind[] = ['symlink', 'hardlink', 'directory'];
const reason = /symlink|director|hard link|replaced|no longer|not a regular|is gone|refusing|remain/;

function expectDecoyUnchanged(instance: HostileInstance, before: ReturnType<HostileInstance['readDecoy']>): void {
  expect(instance.readDecoy()).toEqual(before);
}

function expectSafeOutcome(result: RollbackResult): void {
  if (!result.ok) expect(result.detail).toMatch(reason);
}

describe.skipIf(!canRunHostile())('rollback as root when the target swaps its file (setpriv as the target uid)', () => {
  describe.each(cases)('$name', ({ fault, victim }) => {
    test.each(kinds)('swapped for a %s before rollback: the decoy is untouched and the rollback refuses with the reason', async (kind) => {
      const live = await startFault(fault);
      const before = live.instance.readDecoy();
      live.instance.swap(victim(live), kind);
      const result = await live.rollback().catch((error: Error) => ({ ok: false, detail: `threw: ${error.message}` }));
      expectDecoyUnchanged(live.instance, before);
      // A link the target put in faultline's temp-file namespace is removed itself (unlink never follows).
      if (fault.type === 'disk.temp-files' && kind !== 'directory') expect(result).toMatchObject({ ok: true });
      else expect(result).toMatchObject({ ok: false, detail: expect.stringMatching(reason) });
    });

    test.runIf(setHook !== undefined).each(kinds)('swapped for a %s at each operation of the rollback: the decoy is never touched', async (kind) => {
      let operations = 0;
      {
        const live = await startFault(fault);
        setHook!(() => void (operations += 1));
        expect(await live.rollback()).toMatchObject({ ok: true });
        setHook!(undefined);
      }
      expect(operations).toBeGreaterThan(1);
      for (let at = 0; at < operations; at++) {
        const live = await startFault(fault);
        const before = live.instance.readDecoy();
        let seen = 0;
        setHook!(() => {
          if (seen++ === at) live.instance.swap(victim(live), kind);
        });
        const result = await live.rollback();
        setHook!(undefined);
        expectDecoyUnchanged(live.instance, before);
        expectSafeOutcome(result);
      }
    });
  });

  test.each(cases)('$name: the directory swapped for a symlink to a root-only directory is refused, and nothing is written there', async ({ fault, victim }) => {
    const live = await startFault(fault);
    const before = live.instance.readDecoy();
    live.instance.swapDirectory(victim(live).split('/')[0]!);
    const result = await live.rollback();
    expectDecoyUnchanged(live.instance, before);
    expect(live.instance.listDecoyDir()).toEqual(['shadow']);
    expect(result).toMatchObject({ ok: false, detail: expect.stringMatching(/was replaced by a symlink during the fault; refusing to follow it/) });
  });

  test('disk.log-growth: a link the target plants at a rollback temp name it guesses is never written through', async () => {
    const live = await startFault({ type: 'disk.log-growth', path: log, bytesPerSecond: 65_536, maxBytes: 4096 });
    const before = live.instance.readDecoy();
    // The name an earlier faultline used (pid-based), and ones like it: all predictable, all planted.
    for (const name of [`.orchestrator.log.faultline-${process.pid}.tmp`, '.orchestrator.log.faultline-1.tmp']) {
      live.instance.runAsTarget(['ln', '-s', live.instance.decoy, join(live.instance.dir, 'logs', name)]);
    }
    const result = await live.rollback();
    expectDecoyUnchanged(live.instance, before);
    expect(result).toMatchObject({ ok: true });
    expect(readFileSync(join(live.instance.dir, log), 'utf8')).not.toContain('faultline disk.log-growth');
  });

  test('disk.log-growth: a symlink swapped in while the log grows is never appended through', async () => {
    const live = await startFault({ type: 'disk.log-growth', path: log, bytesPerSecond: 200_000, durationMs: 5000, maxBytes: 1_000_000 });
    const before = live.instance.readDecoy();
    live.instance.swap(log, 'symlink');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expectDecoyUnchanged(live.instance, before);
    const result = await live.rollback();
    expectDecoyUnchanged(live.instance, before);
    expect(result).toMatchObject({ ok: false, detail: expect.stringMatching(/orchestrator\.log was replaced by a symlink during the fault; refusing/) });
  });

  test('disk.temp-files: a link the target plants at the next temp name (at a rate) is never written through', async () => {
    const live = await startFault({ type: 'disk.temp-files', path: 'tmp', count: 40, sizeBytes: 64, perSecond: 20 });
    const before = live.instance.readDecoy();
    const prefix = String(live.state.prefix);
    for (let index = 2; index < 40; index++) live.instance.runAsTarget(['ln', '-sf', live.instance.decoy, join(live.instance.dir, 'tmp', `${prefix}${String(index).padStart(5, '0')}`)]);
    await new Promise((resolve) => setTimeout(resolve, 400));
    const result = await live.rollback();
    expectDecoyUnchanged(live.instance, before);
    expect(result.ok).toBe(true);
    expect(readdirSync(join(live.instance.dir, 'tmp'))).toEqual([]);
  });

  test('prepare refuses a file with more than one hard link (a link outside the roots would change too)', async () => {
    for (const fault of [{ type: 'config.corrupt', path: conf, mode: 'syntax' }, { type: 'config.delete', path: conf }, { type: 'file.chmod', path: conf, mode: '000' }, { type: 'disk.log-growth', path: log, bytesPerSecond: 1024 }]) {
      const instance = createHostileInstance();
      disposables.push(() => instance.dispose());
      instance.runAsTarget(['ln', join(instance.dir, fault.path), join(instance.dir, 'other-link')]);
      const params = checkFaultParams(fault);
      const definition = getFaultDefinition(params.type);
      const context = { target: instance.target, stateDir: instance.base };
      await expect(definition.prepare(params, context)).rejects.toThrow(/^fault\.path: .* has more than one hard link/);
    }
  });

  test('recover (after a kill -9) refuses the same swap: the decoy is untouched and the intent is kept, with the reason', async () => {
    for (const { fault, victim } of cases.filter((entry) => entry.name !== 'disk.temp-files')) {
      const live = await startFault(fault);
      const ledgerDir = mkdtempSync(join(tmpdir(), 'faultline-swap-ledger-'));
      disposables.push(() => rmSync(ledgerDir, { recursive: true, force: true }));
      const ledger = new Ledger(ledgerDir);
      ledger.open({ id: 'swap-1', kind: 'fault', createdAt: new Date().toISOString(), pid: 999_999_999, runId: 'r', scenario: 's', target: { driver: 'external', file: live.instance.targetFile }, fault: live.params as never, state: live.state, stateDir: live.stateDir });
      const before = live.instance.readDecoy();
      live.instance.swap(victim(live), 'symlink');
      const report = await recoverIntents(ledger);
      expectDecoyUnchanged(live.instance, before);
      expect(report, fault.type).toMatchObject({ recovered: 0, failed: 1 });
      expect(report.lines[0]).toMatch(/was replaced by a symlink during the fault; refusing .* \(intent kept: swap-1\)/);
      expect(ledger.list()).toHaveLength(1);
    }
  });
});

const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');

describe.skipIf(!canRunHostile())('disk.log-growth gives the target its own bytes back', () => {
  test('a log whose last line has no newline, and lines the target appended during the fault: sha256 equal', async () => {
    const live = await startFault({ type: 'disk.log-growth', path: log, bytesPerSecond: 100_000, durationMs: 5000, maxBytes: 500_000 });
    const path = join(live.instance.dir, log);
    await new Promise((resolve) => setTimeout(resolve, 150));
    // The target goes on: it finishes its line, writes whole lines, and leaves a partial one again.
    for (const text of [' (finished)\n', 'own line 2\n', 'partial without newline']) {
      live.instance.runAsTarget(['sh', '-c', 'printf "%s" "$1" >> "$2"', 'sh', text, path]);
      await new Promise((resolve) => setTimeout(resolve, 120));
    }
    const result = await live.rollback();
    expect(result).toMatchObject({ ok: true });
    const expected = '2026-01-01T00:00:00Z started\n2026-01-01T00:00:01Z scheduler: sent (no newline) (finished)\nown line 2\npartial without newline';
    expect(readFileSync(path, 'utf8')).toBe(expected);
    expect(sha256(readFileSync(path))).toBe(sha256(expected));
    expect(statSync(path).uid).toBe(live.instance.uid);
    expect((await live.rollback()).ok).toBe(true); // idempotent
    expect(sha256(readFileSync(path))).toBe(sha256(expected));
  });

  test('a log with no newline at all and no writes meanwhile comes back byte for byte', async () => {
    const live = await startFault({ type: 'disk.log-growth', path: log, bytesPerSecond: 65_536, maxBytes: 4096 });
    const path = join(live.instance.dir, log);
    expect(readFileSync(path, 'utf8')).toMatch(/\(no newline\)\n.*faultline disk\.log-growth/); // growth started on a fresh line
    expect((await live.rollback()).ok).toBe(true);
    expect(sha256(readFileSync(path))).toBe(sha256('2026-01-01T00:00:00Z started\n2026-01-01T00:00:01Z scheduler: sent (no newline)'));
  });
});

describe.skipIf(!canRunHostile() || setHook === undefined)('a rollback killed half-way leaves nothing recover cannot find', () => {
  test('disk.log-growth: kill -9 of recover right before its rename; the next recover removes the temp file and says so', async () => {
    const live = await startFault({ type: 'disk.log-growth', path: log, bytesPerSecond: 65_536, maxBytes: 4096 });
    const logs = join(live.instance.dir, 'logs');
    const ledgerDir = mkdtempSync(join(tmpdir(), 'faultline-swap-ledger-'));
    disposables.push(() => rmSync(ledgerDir, { recursive: true, force: true }));
    const ledger = new Ledger(ledgerDir);
    ledger.open({ id: 'crash-1', kind: 'fault', createdAt: new Date().toISOString(), pid: 999_999_999, runId: 'r', scenario: 's', target: { driver: 'external', file: live.instance.targetFile }, fault: live.params as never, state: live.state, stateDir: live.stateDir });
    // A separate recover process (the built code) SIGKILLs itself the moment its temp file is written and about to be renamed.
    const dist = join(import.meta.dirname, '..', '..', 'dist');
    const script = `
      import { Ledger } from ${JSON.stringify(join(dist, 'run', 'ledger.js'))};
      import { recoverIntents } from ${JSON.stringify(join(dist, 'run', 'recover.js'))};
      import { setSafeFsHook } from ${JSON.stringify(join(dist, 'util', 'safe-fs.js'))};
      setSafeFsHook((operation) => { if (operation === 'rename') process.kill(process.pid, 'SIGKILL'); });
      await recoverIntents(new Ledger(process.env.LEDGER_DIR));`;
    const killed = await execa(process.execPath, ['--input-type=module', '-e', script], { env: { ...process.env, LEDGER_DIR: ledgerDir }, reject: false, timeout: 30_000 });
    expect(killed.signal, killed.stderr).toBe('SIGKILL');
    const leftover = readdirSync(logs).filter((name) => name.startsWith(String(live.state.tempPrefix)));
    expect(leftover).toHaveLength(1);

    const report = await recoverIntents(ledger);
    expect(report).toMatchObject({ recovered: 1, failed: 0 });
    expect(report.lines[0]).toMatch(/removed 1 temp file\(s\) an interrupted rollback left/);
    expect(readdirSync(logs)).toEqual(['orchestrator.log']);
    expect(lstatSync(join(logs, 'orchestrator.log')).uid).toBe(live.instance.uid);
    expect(existsSync(join(logs, leftover[0]!))).toBe(false);
    expect(sha256(readFileSync(join(logs, 'orchestrator.log')))).toBe(sha256('2026-01-01T00:00:00Z started\n2026-01-01T00:00:01Z scheduler: sent (no newline)'));
  });
});
