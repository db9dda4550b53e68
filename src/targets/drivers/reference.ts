// The reference driver: the bundled orchestrator, started by faultline for each scenario (recorded in
// the ledger before it starts) or reused from `faultline target up` (--target-dir).
import { existsSync, readdirSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { readProcess, type ProcInfo } from '../../faults/proc-table.js';
import { readPidFile } from '../../util/pid.js';
import { createCompleteStopReport, type Target } from '../types.js';
import type { TargetDescriptor, TargetDriver } from './types.js';

/** Stand-in directory for a reference instance a run would create with mkdtemp. */
export const PLACEHOLDER_DIR_NAME = 'faultline-ref-XXXXXX';

const reference: TargetDriver = {
  name: 'reference',
  summary: 'the bundled reference orchestrator (tmux), started and stopped by faultline',
  starts: true,
  bundled: { label: 'reference (the bundled orchestrator)', capabilities: ['tmux'], throwawayPlans: true },
  trustsScenarioPidfiles: false,
  async open(_file, options) {
    const { openReference, createReferenceHandle } = await import('../reference/index.js');
    if (options.targetDir) {
      const target = await openReference(resolve(options.targetDir));
      return { target, managed: false, close: async () => createCompleteStopReport() };
    }
    return createReferenceHandle({
      heal: options.heal,
      ...(options.healDelayMs !== undefined ? { healDelayMs: options.healDelayMs } : {}),
      ...(options.instanceDir !== undefined ? { dir: options.instanceDir, ownsDir: true } : {}),
    });
  },
  // Recorded before it starts (openRecordedHandle), so `faultline recover` finds whatever a crash during start leaves.
  async openRecorded(file, options, record) {
    if (options.targetDir) return { handle: await reference.open(file, options) };
    const { openRecordedHandle } = await import('./reference-recorded-start.js');
    return openRecordedHandle(record, (dir) => reference.open(file, { ...options, instanceDir: dir }));
  },
  async openForPlan(_file, options) {
    const { describeReferenceTarget } = await import('../reference/index.js');
    if (options.targetDir) {
      const dir = resolve(options.targetDir);
      const found = existsSync(join(dir, 'target.json'));
      return {
        target: describeReferenceTarget(dir),
        placeholder: false,
        note: found ? `the reference orchestrator in ${dir} (--target-dir)` : `--target-dir ${dir}: no reference orchestrator there (a run would stop with an error)`,
      };
    }
    const dir = join(realpathSync(tmpdir()), PLACEHOLDER_DIR_NAME);
    return { target: describeReferenceTarget(dir), placeholder: true, note: `a fresh reference orchestrator that a run would start in a new temp dir (shown as ${dir})` };
  },
  async openForRecovery(descriptor) {
    const { describeReferenceTarget } = await import('../reference/index.js');
    return describeReferenceTarget(getDir(descriptor));
  },
  async recoverTarget(descriptor) {
    const { stopReference } = await import('../reference/index.js');
    const dir = getDir(descriptor);
    const ownsDir = descriptor.driver === 'reference' ? descriptor.ownsDir : undefined;
    // ownsDir comes from the ledger: a start killed before target.json was complete still gets its dir removed.
    const { complete, notes } = await stopReference(dir, { ownsDir });
    // Something that survived stop keeps the intent: a later recover tries again.
    const what = complete ? `stopped the reference orchestrator in ${dir}` : `the reference orchestrator in ${dir} is not fully stopped`;
    return { ok: complete, detail: [what, ...notes].join('; ') };
  },
  describeForLedger: (target) => ({ driver: 'reference', dir: target.home }),
  findOwnedProcesses: async (target, table) => readReferencePidFiles(target.home, table),
  describeOwnedProcesses: () => 'pids recorded in its run/*.pid',
};
export default reference;

function getDir(descriptor: TargetDescriptor): string {
  if (descriptor.driver !== 'reference') throw new Error(`the reference driver got a ${descriptor.driver} descriptor`);
  return descriptor.dir;
}

// A recorded pid counts only while its command line points into the instance (a recycled pid does not).
function readReferencePidFiles(home: string, table: ReadonlyMap<number, ProcInfo>): Map<number, string> {
  const found = new Map<number, string>();
  const runDir = join(home, 'run');
  let names: string[] = [];
  try {
    names = readdirSync(runDir).filter((name) => name.endsWith('.pid'));
  } catch {
    return found;
  }
  for (const name of names) {
    const pid = readPidFile(join(runDir, name));
    const info = pid === undefined ? undefined : table.get(pid) ?? readProcess(pid);
    if (info && info.argv.some((arg) => arg === home || arg.startsWith(`${home}/`))) found.set(info.pid, `recorded in run/${name}`);
  }
  return found;
}

/** True for targets of this driver (for code that must know, e.g. which plans may be retried on a throwaway instance). */
export function isReferenceTarget(target: Target): boolean {
  return target.driver === 'reference';
}
