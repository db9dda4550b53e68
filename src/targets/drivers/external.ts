// The external driver: a target file describing a system faultline did not start (a tmux
// orchestrator, daemons declared by pidfile or pattern), with its setup/reset/teardown hooks.
import { loadFileTarget } from '../external.js';
import type { TargetDescriptor, TargetDriver } from './types.js';
import { openFileHandle } from './file-handle.js';

/** The parts the external and supervisord drivers share: both are target files. */
export function createFileDriver(name: 'external' | 'supervisord', summary: string): TargetDriver {
  return {
    name,
    summary,
    starts: false,
    trustsScenarioPidfiles: true,
    open: (file, options) => openFileHandle(file, options),
    async openForPlan(file) {
      const { target, hooks } = await loadFileTarget(file);
      const setup = hooks.setup ? `; a run first runs its setup hook (${hooks.setup.command.join(' ')})` : '; faultline starts nothing for it';
      return { target, placeholder: false, note: `${name} target ${target.name} (${file})${setup}` };
    },
    openForRecovery: async (descriptor) => (await loadFileTarget(getFile(descriptor))).target,
    recoverTarget: async () => ({ ok: true, detail: `${name} target: nothing faultline started` }),
    describeForLedger: (target) => ({ driver: name, file: String(target.describe().file) }),
  };
}

function getFile(descriptor: TargetDescriptor): string {
  if (!('file' in descriptor)) throw new Error(`a target file driver got a ${descriptor.driver} descriptor`);
  return descriptor.file;
}

export default createFileDriver('external', 'a target file: a system faultline did not start, reached through its tmux server, declared processes and hooks');
