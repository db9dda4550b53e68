// Fault: skew the wall clock of target processes. faultline has no mechanism that works for every
// program, and it refuses rather than pretend: a Go program (etcd) reads the clock through the vDSO
// and raw syscalls, never libc, so libfaketime's LD_PRELOAD never reaches it; a time namespace shifts
// only CLOCK_MONOTONIC and CLOCK_BOOTTIME, not the wall clock; and setting the host's clock would
// skew every process on the host, not the target's. For other programs the libfaketime mechanism is
// not built yet. Both validate (the driver's refusal) and --dry-run (this plan) say which and why.
import { readlinkSync } from 'node:fs';
import { Type } from '@sinclair/typebox';
import { GuardError } from '../errors.js';
import { getTargetDriver } from '../targets/drivers/registry.js';
import { GO_CLOCK_REFUSAL, isGoBinary } from '../util/go-binary.js';
import { defineFault } from './types.js';
import { defineFaultParams } from './params.js';
import { processSelectorProperties, selectProcesses } from './process-select.js';

export default defineFault({
  type: 'clock.skew',
  summary: 'would skew the wall clock of target processes; refused where no mechanism reaches them (Go programs such as etcd), with the reason',
  params: defineFaultParams('clock.skew', {
    ...processSelectorProperties,
    offsetMs: Type.Integer({ minimum: -86_400_000, maximum: 86_400_000, description: 'How far their clock would be moved (negative = behind).' }),
  }, 'Skew a process’s clock (refused where it cannot work).'),
  async plan(params, { target }) {
    throw refuse(await findGoReason(params, target));
  },
  async prepare(params, { target }) {
    throw refuse(await findGoReason(params, target));
  },
  async inject() {
    throw new GuardError('clock.skew has no mechanism: it is refused at plan time');
  },
  verify: async () => false,
  rollback: async () => ({ ok: true, detail: 'nothing was changed: clock.skew is always refused' }),
});

// The refusal for this target: its driver's (validate knows it too), a Go program among the selected
// processes, or the missing mechanism for anything else.
async function findGoReason(params: Parameters<typeof selectProcesses>[0], target: Parameters<typeof selectProcesses>[1]): Promise<string> {
  const driverReason = getTargetDriver(target.driver).refusals?.['clock.skew'];
  if (driverReason) return `target ${target.name}: ${driverReason}`;
  const processes = await selectProcesses(params, target).catch(() => []);
  for (const selected of processes) {
    let exe = '';
    try {
      exe = readlinkSync(`/proc/${selected.pid}/exe`);
    } catch {
      continue;
    }
    if (isGoBinary(exe)) return `pid ${selected.pid} runs ${exe}, a Go program: clock.skew cannot work on it: ${GO_CLOCK_REFUSAL}`;
  }
  return 'clock.skew has no mechanism for these processes yet (libfaketime through LD_PRELOAD, for dynamically linked programs that read the clock through libc, is not built)';
}

function refuse(reason: string): GuardError {
  return new GuardError(`fault clock.skew: ${reason}`, { hint: 'test what clock skew does to raft through its symptoms instead: a slow peer (net.latency on one member’s peer link) or a hung member (process.stop)' });
}
