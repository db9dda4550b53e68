// Probe: a tmux session exists on the target's server (event-driven: tmux control mode).
import { Type } from '@sinclair/typebox';
import { describeMissing } from '../measure/sources/tmux-snapshot.js';
import { findSessionAppeared, findSessionGone, findTerminalsMadeFrom } from './tmux-evidence.js';
import { defineProbe } from './types.js';
import { defineProbeParams } from './params.js';

export default defineProbe({
  type: 'tmux.session',
  needs: ['tmux'],
  summary: 'passes while the named tmux session exists on the target server',
  params: defineProbeParams('tmux.session', {
    session: Type.String({ minLength: 1, description: 'Session name (exact).' }),
  }, 'A tmux session exists.'),
  // tmux announces every session created or destroyed (%sessions-changed): polling is only a safety net.
  eventFallbackMs: 500,
  create(params, { sources }) {
    const tmux = sources.tmux();
    tmux.noteWatchedSession(params.session);
    // The session's windows when it was last seen: their closes pin its disappearance.
    let lastWindows: string[] = [];
    let wasOk = false;
    return {
      async check({ since = Number.NEGATIVE_INFINITY } = {}) {
        const snapshot = await tmux.snapshot();
        const bound = (at: number) => tmux.getDeliveryBoundMs(at);
        const windows = [...new Set(snapshot.panes.filter((pane) => pane.session === params.session).map((pane) => pane.windowId))];
        if (windows.length > 0) {
          const appeared = !wasOk;
          lastWindows = windows;
          wasOk = true;
          const changedWithin = findSessionAppeared(tmux.windowEvents, windows, since, bound);
          // Just back: it may have been made as early as its panes' terminals say (read only then).
          const from = appeared ? findTerminalsMadeFrom(snapshot.panes.filter((pane) => pane.session === params.session), bound) : undefined;
          return { ok: true, ...(changedWithin ? { changedWithin } : {}), ...(from === undefined ? {} : { mayHaveChangedFrom: from }) };
        }
        wasOk = false;
        const changedWithin = findSessionGone(tmux.windowEvents, lastWindows, since, bound);
        return { ok: false, detail: describeMissing(snapshot, params.session), ...(changedWithin ? { changedWithin } : {}) };
      },
      watch: (onTrigger) => tmux.watch(onTrigger),
      getEventBound: (from, to) => tmux.getEventBound(from, to),
    };
  },
});
