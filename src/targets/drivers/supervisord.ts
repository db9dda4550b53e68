// The supervisord driver: a target file naming supervisord's config; supervisord and the pids of
// its programs (read through supervisorctl) are the target's processes.
import type { TargetDriver } from './types.js';
import { createFileDriver } from './external.js';

const supervisord: TargetDriver = {
  ...createFileDriver('supervisord', 'programs under supervisord, reached through supervisorctl on its unix socket'),
  async findOwnedProcesses(target, table) {
    const owned = new Map<number, string>();
    const supervisor = target.supervisor;
    if (!supervisor) return owned;
    // A supervisord that does not answer vouches for nothing (its orphans are still declared processes, if declared).
    const pid = await supervisor.getPid().catch(() => undefined);
    if (pid !== undefined && table.has(pid)) owned.set(pid, `the target’s ${supervisor.describe()}`);
    for (const program of await supervisor.listPrograms().catch(() => [])) {
      if (program.pid !== undefined && table.has(program.pid)) owned.set(program.pid, `supervisord program ${program.name}`);
    }
    return owned;
  },
  describeOwnedProcesses: () => 'supervisord and its programs (as supervisord reports them)',
};
export default supervisord;
