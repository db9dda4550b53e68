// Probe: a tmux session exists on the target's server.
import { Type } from '@sinclair/typebox';
import { defineProbe } from './types.js';
import { defineProbeParams } from './params.js';

export default defineProbe({
  type: 'tmux.session',
  summary: 'passes while the named tmux session exists on the target server',
  params: defineProbeParams('tmux.session', {
    session: Type.String({ minLength: 1, description: 'Session name.' }),
  }, 'A tmux session exists.'),
  create(params, { target }) {
    return {
      async check() {
        const result = await target.tmux(['has-session', '-t', `=${params.session}`]);
        return result.exitCode === 0 ? { ok: true } : { ok: false, detail: `session ${params.session} missing` };
      },
    };
  },
});
