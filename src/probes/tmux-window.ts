// Probe: a tmux window exists (by name or index) in a session on the target's server.
import { Type } from '@sinclair/typebox';
import { defineProbe } from './types.js';
import { defineProbeParams } from './params.js';

export default defineProbe({
  type: 'tmux.window',
  summary: 'passes while the named window exists in the session',
  params: defineProbeParams('tmux.window', {
    session: Type.String({ minLength: 1, description: 'Session name.' }),
    window: Type.Union([Type.String({ minLength: 1 }), Type.Integer({ minimum: 0 })], { description: 'Window name or index.' }),
  }, 'A tmux window exists.'),
  create(params, { target }) {
    const wanted = String(params.window);
    return {
      async check() {
        const result = await target.tmux(['list-windows', '-t', `=${params.session}`, '-F', '#{window_index}\t#{window_name}']);
        if (result.exitCode !== 0) return { ok: false, detail: `session ${params.session} missing` };
        const found = result.stdout.split('\n').some((line) => line.split('\t').includes(wanted));
        return found ? { ok: true } : { ok: false, detail: `window ${params.session}:${wanted} missing` };
      },
    };
  },
});
