// The webstack driver: the bundled web stack (an HTTP API, PostgreSQL, Redis and their supervisor),
// started by faultline for each scenario (recorded in the ledger before it starts) or reused from
// `faultline target up webstack` (--target-dir). `--guardrails on|off` picks the system it is.
import { existsSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { ProcInfo } from '../../faults/proc-table.js';
import { createCompleteStopReport, type Target } from '../types.js';
import type { InstanceLifecycle } from './reference-recorded-start.js';
import type { TargetDescriptor, TargetDriver } from './types.js';

/** Stand-in directory for a stack a run would create. */
export const WEBSTACK_PLACEHOLDER_DIR = 'faultline-web-XXXXXX';

/** How web stacks are placed, recorded and stopped (for startRecordedInstance and openRecordedHandle). */
export async function getWebstackLifecycle(): Promise<InstanceLifecycle> {
  const { chooseWebstackDir, stopWebstack } = await import('../webstack/index.js');
  return {
    chooseDir: chooseWebstackDir,
    describe: (dir, ownsDir) => ({ driver: 'webstack', dir, ownsDir }),
    stop: (dir, ownsDir) => stopWebstack(dir, { ownsDir }),
    downCommand: 'faultline target down webstack',
  };
}

const webstack: TargetDriver = {
  name: 'webstack',
  summary: 'the bundled web stack (HTTP API, PostgreSQL, Redis, supervisor), started and stopped by faultline; --guardrails on|off',
  starts: true,
  bundled: { label: 'webstack (the bundled web stack)', capabilities: ['services'] },
  trustsScenarioPidfiles: false,
  async open(_file, options) {
    const { openWebstack, createWebstackHandle } = await import('../webstack/index.js');
    if (options.targetDir) {
      const target = openWebstack(resolve(options.targetDir));
      return { target, managed: false, close: async () => createCompleteStopReport() };
    }
    return createWebstackHandle({
      guardrails: options.guardrails ?? true,
      ...(options.instanceDir !== undefined ? { dir: options.instanceDir, ownsDir: true } : {}),
    });
  },
  async openRecorded(file, options, record) {
    if (options.targetDir) return { handle: await webstack.open(file, options) };
    const { openRecordedHandle } = await import('./reference-recorded-start.js');
    return openRecordedHandle(record, (dir) => webstack.open(file, { ...options, instanceDir: dir }), await getWebstackLifecycle());
  },
  async openForPlan(_file, options) {
    const { describeWebstackTarget } = await import('../webstack/index.js');
    if (options.targetDir) {
      const dir = resolve(options.targetDir);
      const found = existsSync(join(dir, 'webstack.json'));
      return { target: describeWebstackTarget(dir), placeholder: false, note: found ? `the web stack in ${dir} (--target-dir)` : `--target-dir ${dir}: no web stack there (a run would stop with an error)` };
    }
    const dir = join(realpathSync(tmpdir()), WEBSTACK_PLACEHOLDER_DIR);
    return { target: describeWebstackTarget(dir), placeholder: true, note: `a fresh web stack that a run would start in a new temp dir (shown as ${dir})` };
  },
  async openForRecovery(descriptor) {
    const { describeWebstackTarget } = await import('../webstack/index.js');
    return describeWebstackTarget(getDir(descriptor));
  },
  async recoverTarget(descriptor) {
    const { stopWebstack } = await import('../webstack/index.js');
    const dir = getDir(descriptor);
    const ownsDir = descriptor.driver === 'webstack' ? descriptor.ownsDir : undefined;
    const { complete, notes } = await stopWebstack(dir, { ownsDir });
    const what = complete ? `stopped the web stack in ${dir}` : `the web stack in ${dir} is not fully stopped`;
    return { ok: complete, detail: [what, ...notes].join('; ') };
  },
  describeForLedger: (target) => ({ driver: 'webstack', dir: target.home }),
  findOwnedProcesses: async (target, table) => findStackProcesses(target, table),
  describeOwnedProcesses: () => 'pids recorded in its run/*.pid that run as its uid with its dir on their command line',
};
export default webstack;

function getDir(descriptor: TargetDescriptor): string {
  if (descriptor.driver !== 'webstack') throw new Error(`the webstack driver got a ${descriptor.driver} descriptor`);
  return descriptor.dir;
}

async function findStackProcesses(target: Target, table: ReadonlyMap<number, ProcInfo>): Promise<Map<number, string>> {
  const { findStackUid, readStackPids, isStackProcess, getWebstackPaths } = await import('../webstack/processes-index.js');
  const found = new Map<number, string>();
  const uid = findStackUid(target.home);
  if (uid === undefined) return found;
  for (const { name, pid } of readStackPids(getWebstackPaths(target.home).runDir)) {
    if (table.has(pid) && isStackProcess(pid, target.home, uid)) found.set(pid, `the web stack's ${name} (run/${name}.pid)`);
  }
  return found;
}
