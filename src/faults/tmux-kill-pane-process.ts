// Fault: kill the process running in a tmux pane of the target (an agent crash).
import { GuardError } from '../errors.js';
import { defineFault } from './types.js';
import { defineFaultParams } from './params.js';
import { getProtectedPids } from './process-guards.js';
import { readProcessTable, waitForProcessesGone } from './proc-table.js';
import { checkSignal, defineSignalParam, signalIfSameProcess } from './signals.js';
import { describeSocket } from './tmux-objects.js';
import { describePane, findPane, paneProperties } from './tmux-panes.js';

const EXIT_WAIT_MS = 2000;

export default defineFault({
  type: 'tmux.kill-pane-process',
  needs: ['tmux'],
  summary: 'kills the process in a tmux pane of the target (default SIGKILL): an agent crash',
  params: defineFaultParams('tmux.kill-pane-process', {
    ...paneProperties,
    signal: defineSignalParam('Signal to send (default SIGKILL).'),
  }, 'Kill the process in a tmux pane.'),
  isPlanStatic: () => true,
  async plan(params, { target }) {
    const signal = checkSignal(params.signal);
    return {
      touches: [`send ${signal} to the process in pane ${describePane(params)} on ${describeSocket(target)}`],
      guards: [`only a pane of the target’s tmux server (${describeSocket(target)})`, 'never pid 1, faultline itself or its ancestors (faultline running inside that pane is refused)'],
    };
  },
  async prepare(params, { target }) {
    const signal = checkSignal(params.signal);
    const pane = await findPane(target, params);
    const table = readProcessTable();
    const refusal = getProtectedPids(table, new Map([[pane.pid, `runs in pane ${pane.label}`]])).get(pane.pid);
    if (refusal) throw new GuardError(`fault.pane: refusing the process in ${pane.label} (pid ${pane.pid}): it is ${refusal}`);
    const info = table.get(pane.pid);
    if (!info) throw new GuardError(`fault.pane: the process in ${pane.label} (pid ${pane.pid}) is gone`);
    return { ...pane, signal, startTime: info.startTime, command: info.argv.join(' ') };
  },
  async inject(_params, _context, state) {
    if (!signalIfSameProcess(Number(state.pid), Number(state.startTime), state.signal as NodeJS.Signals)) {
      throw new Error(`the process in ${String(state.label)} (pid ${String(state.pid)}) was gone before the signal`);
    }
  },
  async verify(_params, _context, state) {
    return waitForProcessesGone([{ pid: Number(state.pid), startTime: Number(state.startTime) }], EXIT_WAIT_MS);
  },
  async rollback(_params, _context, state) {
    return { ok: true, detail: `nothing to restore: restarting the process in ${String(state.label)} (was pid ${String(state.pid)}) is the target’s own recovery` };
  },
});
