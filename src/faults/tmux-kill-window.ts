// Fault: kill one tmux window (an agent or dev-server window lost).
import { Type } from '@sinclair/typebox';
import { GuardError } from '../errors.js';
import { defineFault } from './types.js';
import { defineFaultParams } from './params.js';
import { describeSocket, getWindowId } from './tmux-objects.js';
import { MAX_INDEX } from '../util/number-limits.js';

export default defineFault({
  type: 'tmux.kill-window',
  needs: ['tmux'],
  summary: 'kills a tmux window on the target server',
  params: defineFaultParams('tmux.kill-window', {
    session: Type.String({ minLength: 1, description: 'Session name.' }),
    window: Type.Union([Type.String({ minLength: 1 }), Type.Integer({ minimum: 0, maximum: MAX_INDEX })], { description: 'Window name or index.' }),
  }, 'Kill a tmux window.'),
  async plan(params, { target }) {
    return {
      touches: [`kill tmux window ${params.session}:${params.window} on ${describeSocket(target)}`],
      guards: [`only the target's tmux socket (${describeSocket(target)})`],
    };
  },
  async prepare(params, { target }) {
    const windowId = await getWindowId(target, params.session, params.window);
    if (!windowId) throw new GuardError(`fault.window: no window "${params.session}:${params.window}" on ${describeSocket(target)}`);
    return { windowId };
  },
  async inject(params, { target }, state) {
    // Prepared earlier (a composite prepares every step first): if the target has since re-created
    // the window, the window now under that name is the one to kill.
    const windowId = await getWindowId(target, params.session, params.window);
    if (!windowId) throw new Error(`no window "${params.session}:${params.window}" on ${describeSocket(target)} to kill: it is gone since the fault was prepared (an earlier step of a composite, not yet repaired by the target?); give the step a longer delayMs`);
    state.windowId = windowId;
    const result = await target.tmux(['kill-window', '-t', String(state.windowId)]);
    if (result.exitCode !== 0) throw new Error(`tmux kill-window failed: ${result.stderr.trim()}`);
  },
  async verify(_params, { target }, state) {
    const result = await target.tmux(['list-windows', '-a', '-F', '#{window_id}']);
    return !result.stdout.split('\n').includes(String(state.windowId));
  },
  async rollback() {
    return { ok: true, detail: 'nothing to restore: re-creating the window is the target’s own recovery' };
  },
});
