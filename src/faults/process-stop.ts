// Fault: hang target processes with SIGSTOP for a duration (a hung scheduler or helper); SIGCONT ends it.
import { Type } from '@sinclair/typebox';
import { GuardError } from '../errors.js';
import type { Target } from '../targets/types.js';
import { sleep } from '../util/clock.js';
import { defineFault, type FaultState } from './types.js';
import { defineFaultParams } from './params.js';
import { getSelectorNeeds, describeCurrentMatches, describeProcessGuards, getProcesses, planProcessSelection, processSelectorProperties, selectProcesses, type SelectedProcess } from './process-select.js';
import { isStoppedState, readProcess, shortenCommand } from './proc-table.js';
import { signalIfSameProcess } from './signals.js';

const RESUME_WAIT_MS = 1000;
const STOP_WAIT_MS = 1000;
// Resume timers of faults in effect in this process, by state directory; a crashed runner's are gone,
// and `faultline recover` sends the SIGCONT instead.
const resumeTimers = new Map<string, NodeJS.Timeout>();

export default defineFault({
  type: 'process.stop',
  summary: 'stops target processes with SIGSTOP for durationMs (a hang), then continues them with SIGCONT',
  needsFor: getSelectorNeeds,
  params: defineFaultParams('process.stop', {
    ...processSelectorProperties,
    durationMs: Type.Optional(Type.Integer({ minimum: 10, maximum: 600_000, default: 5000, description: 'How long the processes stay stopped; rollback continues them earlier if the run ends first.' })),
  }, 'Hang target processes.'),
  isPlanStatic: () => true,
  async plan(params, { target }) {
    return {
      touches: [`send SIGSTOP to ${planProcessSelection(params, target)}; SIGCONT after ${params.durationMs ?? 5000} ms or at rollback`, ...(await describeCurrentMatches(params, target))],
      guards: [...describeProcessGuards(target), 'a process running directly in a tmux pane is refused (tmux continues it at once)'],
    };
  },
  async prepare(params, { target }) {
    const processes = await selectProcesses(params, target);
    await checkStoppable(target, processes);
    return { processes, durationMs: params.durationMs ?? 5000 };
  },
  async inject(_params, { stateDir }, state) {
    const stopped = getProcesses(state).filter((process) => signalIfSameProcess(process.pid, process.startTime, 'SIGSTOP'));
    if (stopped.length === 0) throw new Error('every selected process was gone before SIGSTOP: nothing was stopped');
    const timer = setTimeout(() => {
      resumeTimers.delete(stateDir);
      continueProcesses(state);
    }, Number(state.durationMs));
    timer.unref();
    resumeTimers.set(stateDir, timer);
  },
  async verify(_params, _context, state) {
    // A signal is delivered asynchronously: the state turns T a moment after kill() returns.
    const deadline = performance.now() + STOP_WAIT_MS;
    for (;;) {
      const alive = getProcesses(state).map((process) => readProcess(process.pid)).filter((info) => info !== undefined);
      if (alive.length > 0 && alive.every((info) => isStoppedState(info.state))) return true;
      if (performance.now() > deadline) return false;
      await sleep(5);
    }
  },
  async rollback(_params, { stateDir }, state) {
    clearTimeout(resumeTimers.get(stateDir));
    resumeTimers.delete(stateDir);
    continueProcesses(state);
    const deadline = performance.now() + RESUME_WAIT_MS;
    let stillStopped = findStopped(state);
    while (stillStopped.length > 0 && performance.now() < deadline) {
      await sleep(10);
      continueProcesses(state);
      stillStopped = findStopped(state);
    }
    const pids = getProcesses(state).map((process) => process.pid).join(', ');
    return stillStopped.length === 0
      ? { ok: true, detail: `SIGCONT sent; pid ${pids} no longer stopped (state ≠ T)` }
      : { ok: false, detail: `pid ${stillStopped.join(', ')} still stopped (state T) after SIGCONT` };
  },
});

/**
 * A pane's own process cannot be hung: tmux sends SIGCONT to a pane process it sees stopped, and the
 * kernel discards SIGTSTP/SIGTTIN/SIGTTOU for it (its process group is orphaned). Refused up front.
 */
async function checkStoppable(target: Target, processes: SelectedProcess[]): Promise<void> {
  if (!target.socket) return;
  const server = Number((await target.tmux(['display-message', '-p', '#{pid}'])).stdout.trim());
  const pane = processes.find((process) => readProcess(process.pid)?.ppid === server);
  if (pane) {
    throw new GuardError(`fault: pid ${pane.pid} (${shortenCommand(pane.command)}) runs directly in a tmux pane, and tmux continues a stopped pane process at once: it cannot be hung`, {
      hint: 'hang a process it runs (a pattern, or a pane with descendants: true), or kill it with process.kill',
    });
  }
}

function continueProcesses(state: FaultState): void {
  for (const process of getProcesses(state)) signalIfSameProcess(process.pid, process.startTime, 'SIGCONT');
}

// Pids of the selected processes that are still the same process and still stopped.
function findStopped(state: FaultState): number[] {
  return getProcesses(state)
    .filter((process) => {
      const info = readProcess(process.pid);
      return info !== undefined && info.startTime === process.startTime && isStoppedState(info.state);
    })
    .map((process) => process.pid);
}
