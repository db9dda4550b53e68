// Helpers for the disk and resource fault tests: one reference instance per file, faults driven through
// their own definitions (plan → prepare → inject → verify → rollback), and the CLI for refusals.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { FaultDefinition, FaultState } from '../../src/faults/types.js';
import type { Target } from '../../src/targets/types.js';
export { isSameProcessAlive } from '../../src/faults/proc-table.js';

const root = join(import.meta.dirname, '..', '..');
const bin = join(root, 'bin', 'faultline.js');
const run = promisify(execFile);

/** Why a test that needs root (a tmpfs, a dedicated uid) is skipped, or undefined when it can run. */
export const needsRoot = process.getuid?.() === 0 ? undefined : 'not root: no tmpfs data area and no dedicated uid (see the fault docs)';

/** A fault that was planned, prepared and injected, with what rollback needs. */
export interface InjectedFault<P> {
  params: P;
  context: { target: Target; stateDir: string };
  state: FaultState;
  verified: boolean;
  rollback(): ReturnType<FaultDefinition['rollback']>;
}

/** Runs a fault's plan, prepare, inject and verify, as the runner does; the caller rolls it back. */
export async function injectFault<P extends { type: string }>(definition: FaultDefinition, params: P, target: Target): Promise<InjectedFault<P>> {
  const stateDir = mkdtempSync(join(tmpdir(), 'faultline-fault-state-'));
  const context = { target, stateDir };
  let state: FaultState | undefined;
  let verified: boolean;
  try {
    await definition.plan(params, context);
    state = await definition.prepare(params, context);
    await definition.inject(params, context, state);
    verified = await definition.verify(params, context, state);
  } catch (error) {
    // Leave nothing behind when the fault failed half-way: roll back what may have acted, drop the state dir.
    if (state) await definition.rollback(params, context, state).catch(() => undefined);
    rmSync(stateDir, { recursive: true, force: true });
    throw error;
  }
  return {
    params,
    context,
    state,
    verified,
    async rollback() {
      const outcome = await definition.rollback(params, context, state);
      if (outcome.ok) rmSync(stateDir, { recursive: true, force: true });
      return outcome;
    },
  };
}

/** Runs the built CLI in a fresh work dir with a private ledger; the dir is removed afterwards. */
export async function runCli(args: string[], files: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string; ledger: string[] }> {
  const work = mkdtempSync(join(tmpdir(), 'faultline-cli-'));
  try {
    for (const [name, text] of Object.entries(files)) writeFileSync(join(work, name), text);
    const env = { ...process.env, NO_COLOR: '1', FAULTLINE_STATE_DIR: join(work, 'state') };
    let result: { code: number; stdout: string; stderr: string };
    try {
      const { stdout, stderr } = await run(process.execPath, [bin, ...args], { cwd: work, env, timeout: 60_000 });
      result = { code: 0, stdout, stderr };
    } catch (error) {
      const failure = error as { code: number; stdout: string; stderr: string };
      result = { code: failure.code, stdout: failure.stdout, stderr: failure.stderr };
    }
    return { ...result, ledger: listLedger(join(work, 'state', 'ledger')) };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** A one-scenario YAML file with the given fault (YAML flow mapping) and a trivial steady state. */
export function writeScenarioYaml(id: string, fault: string): string {
  return `id: ${id}\ntitle: ${id}\nsteadyState:\n  - probe: tmux.session\n    session: tmux-orc\nfault: ${fault}\nruns: 1\ntimeoutMs: 1000\nstabilizeMs: 100\n`;
}

/** The real uid of a process. */
export function readUid(pid: number): number {
  return Number(/^Uid:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);
}

function listLedger(dir: string): string[] {
  try {
    return readdirSync(dir).filter((name) => name.endsWith('.json'));
  } catch {
    return [];
  }
}
