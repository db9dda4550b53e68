// Fault: signal (default SIGKILL) target processes selected by pidfile, command-line pattern or tmux pane.
import { defineFault } from './types.js';
import { defineFaultParams } from './params.js';
import { getSelectorNeeds, describeCurrentMatches, describeProcessGuards, getProcesses, planProcessSelection, processSelectorProperties, selectProcesses } from './process-select.js';
import { isSameProcessAlive } from './proc-table.js';
import { checkSignal, defineSignalParam, signalIfSameProcess } from './signals.js';
import { sleep } from '../util/clock.js';

const EXIT_WAIT_MS = 2000;

export default defineFault({
  type: 'process.kill',
  summary: 'signals target processes (by pidfile, pattern or tmux pane); default SIGKILL',
  needsFor: getSelectorNeeds,
  params: defineFaultParams('process.kill', {
    ...processSelectorProperties,
    signal: defineSignalParam('Signal to send (default SIGKILL); a process that survives it fails the verify step.'),
  }, 'Kill target processes.'),
  isPlanStatic: () => true,
  async plan(params, { target }) {
    const signal = checkSignal(params.signal);
    const touches = [`send ${signal} to ${planProcessSelection(params, target)}`, ...(await describeCurrentMatches(params, target))];
    return { touches, guards: describeProcessGuards(target) };
  },
  async prepare(params, { target }) {
    const signal = checkSignal(params.signal);
    return { signal, processes: await selectProcesses(params, target) };
  },
  async inject(_params, _context, state) {
    const sent = getProcesses(state).filter((process) => signalIfSameProcess(process.pid, process.startTime, state.signal as NodeJS.Signals));
    if (sent.length === 0) throw new Error('every selected process was gone before the signal: nothing was killed');
  },
  async verify(_params, _context, state) {
    // Exit is asynchronous (a SIGTERM handler may take a moment): give the processes a short while.
    const deadline = performance.now() + EXIT_WAIT_MS;
    for (;;) {
      if (getProcesses(state).every((process) => !isSameProcessAlive(process.pid, process.startTime))) return true;
      if (performance.now() > deadline) return false;
      await sleep(10);
    }
  },
  async rollback(_params, _context, state) {
    const pids = getProcesses(state).map((process) => process.pid).join(', ');
    return { ok: true, detail: `nothing to restore: a ${String(state.signal)} cannot be taken back; restarting pid ${pids} is the target’s own recovery` };
  },
});

