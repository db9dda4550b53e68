// Fault: kill the target's tmux server: every session, window and pane process on it goes at once.
import { GuardError } from '../errors.js';
import { defineFault } from './types.js';
import { defineFaultParams } from './params.js';
import { getProtectedPids } from './process-guards.js';
import { readProcessTable, waitForProcessesGone } from './proc-table.js';
import { describeSocket } from './tmux-objects.js';

const EXIT_WAIT_MS = 2000;

export default defineFault({
  type: 'tmux.kill-server',
  needs: ['tmux'],
  summary: 'kills the target’s tmux server (all its sessions and pane processes)',
  params: defineFaultParams('tmux.kill-server', {}, 'Kill the target’s tmux server.'),
  isPlanStatic: () => true,
  async plan(_params, { target }) {
    return {
      touches: [`kill the tmux server on ${describeSocket(target)} (every session, window and pane process on it)`],
      guards: [`only the target’s tmux socket (${describeSocket(target)}), never the default server`, 'refused when faultline itself runs inside that server'],
    };
  },
  async prepare(_params, { target }) {
    const answer = await target.tmux(['display-message', '-p', '#{pid}']);
    const pid = Number(answer.stdout.trim());
    if (answer.exitCode !== 0 || !Number.isInteger(pid) || pid <= 1) {
      throw new GuardError(`fault: no tmux server answers on ${describeSocket(target)}${answer.stderr.trim() ? ` (${answer.stderr.trim()})` : ''}`);
    }
    const table = readProcessTable();
    const refusal = getProtectedPids(table, new Map([[pid, 'the target’s tmux server']])).get(pid);
    if (refusal) throw new GuardError(`fault: refusing to kill the tmux server (pid ${pid}) on ${describeSocket(target)}: it is ${refusal}`);
    return { pid, startTime: table.get(pid)?.startTime ?? 0 };
  },
  async inject(_params, { target }) {
    const result = await target.tmux(['kill-server']);
    if (result.exitCode !== 0) throw new Error(`tmux kill-server failed: ${result.stderr.trim()}`);
  },
  async verify(_params, _context, state) {
    // A server the target restarts is a new process: the killed one (pid + start time) must be gone.
    return waitForProcessesGone([{ pid: Number(state.pid), startTime: Number(state.startTime) }], EXIT_WAIT_MS);
  },
  async rollback(_params, _context, state) {
    return { ok: true, detail: `nothing to restore: restarting the tmux server (was pid ${String(state.pid)}) is the target’s own recovery` };
  },
});
