// Runs the real CLI on a scenario against a reference instance the test owns, waits until the
// fault is in effect (per the journal), then kills or interrupts the runner — for crash-safety tests.
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { isAlive } from '../targets/reference/helpers.js';
import { startReference, stopReference, type ReferenceOptions, type ReferenceTarget } from '../../src/targets/reference/index.js';

const root = join(import.meta.dirname, '..', '..');
const bin = join(root, 'bin', 'faultline.js');

/** A private workspace: cwd, ledger, reports and a reference instance, all under one temp dir. */
export interface CrashWorkspace {
  dir: string;
  stateDir: string;
  reportsDir: string;
  target: ReferenceTarget;
  /** Writes a scenario file (YAML text) and returns its path. */
  writeScenario(name: string, yaml: string): string;
  /** Runs `faultline <args>` to completion in the workspace. */
  faultline(args: string[], options?: { timeoutMs?: number }): Promise<{ exitCode: number; stdout: string; stderr: string }>;
  /** Starts `faultline run <scenario> --target-dir <instance>` and resolves once the journal shows the fault in effect. */
  startRunUntilInjected(scenarioPath: string, extraArgs?: string[]): Promise<ChildProcess>;
  /** Stops the instance and removes everything. */
  dispose(): Promise<void>;
}

/** Creates a workspace with a running reference instance (healer off by default, so faults stay in effect). */
export async function createCrashWorkspace(options: ReferenceOptions = { heal: false }): Promise<CrashWorkspace> {
  const dir = mkdtempSync(join(tmpdir(), 'faultline-crash-'));
  // Searchable by others: as root the reference runs as a dedicated uid, which must reach <dir>/ref.
  chmodSync(dir, 0o711);
  const stateDir = join(dir, 'state');
  const reportsDir = join(dir, 'reports');
  let target: ReferenceTarget;
  try {
    target = await startReference({ ...options, dir: join(dir, 'ref') });
  } catch (error) {
    await stopReference(join(dir, 'ref')).catch(() => {});
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  const env = { ...process.env, NO_COLOR: '1', FAULTLINE_STATE_DIR: stateDir };
  const children: ChildProcess[] = [];

  return {
    dir,
    stateDir,
    reportsDir,
    target,
    writeScenario(name, yaml) {
      const path = join(dir, name);
      writeFileSync(path, yaml);
      return path;
    },
    async faultline(args, { timeoutMs = 60_000 } = {}) {
      const result = await execa(process.execPath, [bin, ...args], { cwd: dir, env, reject: false, timeout: timeoutMs, stdin: 'ignore' });
      return { exitCode: result.exitCode ?? -1, stdout: String(result.stdout), stderr: String(result.stderr) };
    },
    async startRunUntilInjected(scenarioPath, extraArgs = []) {
      const child = spawn(process.execPath, [bin, 'run', scenarioPath, '--target-dir', target.dir, '--reports', reportsDir, '--quiet', ...extraArgs], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
      children.push(child);
      let output = '';
      child.stdout?.on('data', (chunk) => (output += String(chunk)));
      child.stderr?.on('data', (chunk) => (output += String(chunk)));
      const deadline = performance.now() + 20_000;
      while (performance.now() < deadline) {
        if (child.exitCode !== null) throw new Error(`faultline exited (${child.exitCode}) before the fault was in effect:\n${output}`);
        if (readJournalTypes(reportsDir).includes('fault.inject')) return child;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      child.kill('SIGKILL');
      throw new Error(`the fault was not in effect within 20 s:\n${output}`);
    },
    async dispose() {
      for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await stopReference(target.dir);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Event types in the newest run's journal under reportsDir (empty before the run starts). */
export function readJournalTypes(reportsDir: string): string[] {
  if (!existsSync(reportsDir)) return [];
  const runs = readdirSync(reportsDir).filter((name) => /^\d{8}-/.test(name)).sort();
  const newest = runs.at(-1);
  if (!newest || !existsSync(join(reportsDir, newest, 'journal.jsonl'))) return [];
  return readFileSync(join(reportsDir, newest, 'journal.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .flatMap((line) => {
      try {
        return [String((JSON.parse(line) as { type: string }).type)];
      } catch {
        return [];
      }
    });
}

/** Waits for a child process to exit; resolves with its exit code or signal. */
export function waitForExit(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

/** Live processes whose command line points into `dir` (agents, health servers, scheduler, healer, mount). */
export function listProcessesUsing(dir: string): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map(Number)
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').some((arg) => arg === dir || arg.startsWith(`${dir}/`)) && isAlive(pid);
      } catch {
        return false;
      }
    });
}
