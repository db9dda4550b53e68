// Fault: kill a tmux session on the target's server (orchestrator or project session lost).
import { Type } from '@sinclair/typebox';
import { GuardError } from '../errors.js';
import { defineFault } from './types.js';
import { defineFaultParams } from './params.js';
import { describeSocket, getSessionId } from './tmux-objects.js';

export default defineFault({
  type: 'tmux.kill-session',
  needs: ['tmux'],
  summary: 'kills a tmux session on the target server',
  params: defineFaultParams('tmux.kill-session', {
    session: Type.String({ minLength: 1, description: 'Session name.' }),
  }, 'Kill a tmux session.'),
  async plan(params, { target }) {
    return {
      touches: [`kill tmux session ${params.session} on ${describeSocket(target)}`],
      guards: [`only the target's tmux socket (${describeSocket(target)})`],
    };
  },
  async prepare(params, { target }) {
    const sessionId = await getSessionId(target, params.session);
    if (!sessionId) throw new GuardError(`fault.session: no session "${params.session}" on ${describeSocket(target)}`);
    return { sessionId };
  },
  async inject(params, { target }, state) {
    // Prepared earlier (a composite prepares every step first): if the target has since re-created
    // the session, the session now under that name is the one to kill.
    const sessionId = await getSessionId(target, params.session);
    if (!sessionId) throw new Error(`no session "${params.session}" on ${describeSocket(target)} to kill: it is gone since the fault was prepared (an earlier step of a composite, not yet repaired by the target?); give the step a longer delayMs`);
    state.sessionId = sessionId;
    const result = await target.tmux(['kill-session', '-t', String(state.sessionId)]);
    if (result.exitCode !== 0) throw new Error(`tmux kill-session failed: ${result.stderr.trim()}`);
  },
  async verify(_params, { target }, state) {
    // The killed session's id is gone; a session the healer re-creates gets a new id.
    return (await target.tmux(['has-session', '-t', String(state.sessionId)])).exitCode !== 0;
  },
  async rollback() {
    return { ok: true, detail: 'nothing to restore: re-creating the session is the target’s own recovery' };
  },
});
