// Probe: a pane exists, its process is alive and (optionally) runs the expected command.
import { Type } from '@sinclair/typebox';
import { defineProbe } from './types.js';
import { defineProbeParams } from './params.js';
import { findPane, paneParams } from './tmux-pane.js';

export default defineProbe({
  type: 'tmux.pane-alive',
  needs: ['tmux'],
  summary: 'passes while the pane exists, is not dead, and runs a command matching commandMatches',
  params: defineProbeParams('tmux.pane-alive', {
    ...paneParams,
    commandMatches: Type.Optional(Type.String({ description: 'Regular expression the pane’s current command must match (e.g. "^node$").' })),
  }, 'A tmux pane is alive.'),
  // No eventFallbackMs: a pane dying (remain-on-exit) or changing its command comes with no notification.
  create(params, { sources }) {
    const tmux = sources.tmux();
    tmux.noteWatchedSession(params.session);
    const command = params.commandMatches === undefined ? undefined : new RegExp(params.commandMatches);
    return {
      async check() {
        const found = findPane(await tmux.snapshot(), params);
        if (!('pane' in found)) return { ok: false, detail: found.detail };
        const { pane } = found;
        if (pane.dead) return { ok: false, detail: `pane ${pane.paneId} is dead` };
        if (command && !command.test(pane.command)) return { ok: false, detail: `pane ${pane.paneId} runs "${pane.command}", not /${params.commandMatches}/` };
        return { ok: true };
      },
      watch: (onTrigger) => tmux.watch(onTrigger),
    };
  },
});
