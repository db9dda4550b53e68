// Fault: a planned restart of a target's process (the web-app failure matrix's "container restart", a
// deploy): the restart hook signals the process that restarts it (the web stack's supervisor on SIGHUP),
// and the fault is in effect once the restarted process runs under a new pid. What a restart loses —
// uploads kept on a temp disk, state held in memory — is what the scenario's canaries measure.
import { Type } from '@sinclair/typebox';
import { selectProcesses } from './process-select.js';
import { describeRestartHook, restartHookParam, runRestartHook } from './restart-hook.js';
import { isSameProcessAlive, readProcessTable } from './proc-table.js';
import { sleep } from '../util/clock.js';
import { GuardError } from '../errors.js';
import { defineFault } from './types.js';
import { defineFaultParams } from './params.js';

const RESTART_WAIT_MS = 15_000;

export default defineFault({
  type: 'service.restart',
  summary: 'restarts a declared process through a restart hook (a deploy, a container restart); in effect once it runs under a new pid',
  params: defineFaultParams('service.restart', {
    process: Type.String({ minLength: 1, description: 'The declared process that is restarted (e.g. api).' }),
    restart: restartHookParam,
  }, 'Restart a process of the target.'),
  isPlanStatic: () => true,
  async plan(params) {
    if (!params.restart) throw new GuardError('fault.restart: give the restart hook (which declared process to signal, e.g. { process: supervisor, signal: SIGHUP })');
    return {
      touches: [`restart declared process ${params.process}: ${describeRestartHook(params.restart)!.replace(/^then /, '')}`],
      guards: ['only processes the target declares are signalled, re-checked by start time', 'nothing to roll back: a restart cannot be taken back, and the target runs again by its own start'],
    };
  },
  async prepare(params, { target }) {
    if (!params.restart) throw new GuardError('fault.restart: give the restart hook');
    const [current] = await selectProcesses({ process: params.process }, target);
    return { pid: current!.pid, startTime: current!.startTime };
  },
  async inject(params, { target }) {
    await runRestartHook(target, params.restart!);
  },
  async verify(params, { target }, state) {
    // The old process gone and the declared one running again under another identity.
    const deadline = performance.now() + RESTART_WAIT_MS;
    while (performance.now() < deadline) {
      if (!isSameProcessAlive(Number(state.pid), Number(state.startTime))) {
        const now = await selectProcesses({ process: params.process }, target).catch(() => []);
        const table = readProcessTable();
        if (now.some((entry) => entry.pid !== Number(state.pid) || table.get(entry.pid)?.startTime !== Number(state.startTime))) return true;
      }
      await sleep(50);
    }
    return false;
  },
  async rollback(params) {
    return { ok: true, detail: `nothing to restore: ${params.process} was restarted, as a deploy would` };
  },
});
