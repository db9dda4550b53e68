// Probe: a tmux window exists (by name or index) in a session (event-driven: tmux control mode).
import { Type } from '@sinclair/typebox';
import { describeMissing, findWindowPanes } from '../measure/sources/tmux-snapshot.js';
import { findTerminalsMadeFrom, findWindowAppeared, findWindowGone } from './tmux-evidence.js';
import { defineProbe } from './types.js';
import { defineProbeParams } from './params.js';
import { MAX_INDEX } from '../util/number-limits.js';

export default defineProbe({
  type: 'tmux.window',
  needs: ['tmux'],
  summary: 'passes while the named window exists in the session',
  params: defineProbeParams('tmux.window', {
    session: Type.String({ minLength: 1, description: 'Session name (exact).' }),
    window: Type.Union([Type.String({ minLength: 1 }), Type.Integer({ minimum: 0, maximum: MAX_INDEX })], { description: 'Window name or index.' }),
  }, 'A tmux window exists.'),
  // Windows added, closed or renamed are all announced (%window-add, %unlinked-window-close, …); an index
  // changed by renumber-windows may not be, and is found by the fallback poll.
  eventFallbackMs: 500,
  create(params, { sources }) {
    const tmux = sources.tmux();
    tmux.noteWatchedSession(params.session);
    // The window last seen matching: its close (or rename) pins its disappearance.
    let lastWindow: string | undefined;
    let wasOk = false;
    return {
      async check({ since = Number.NEGATIVE_INFINITY } = {}) {
        const snapshot = await tmux.snapshot();
        const bound = (at: number) => tmux.getDeliveryBoundMs(at);
        const window = findWindowPanes(snapshot, params.session, params.window)[0]?.windowId;
        if (window !== undefined) {
          const appeared = !wasOk;
          lastWindow = window;
          wasOk = true;
          const changedWithin = findWindowAppeared(tmux.windowEvents, window, since, bound);
          // Just back: it may have been made as early as its panes' terminals say (read only then).
          const from = appeared ? findTerminalsMadeFrom(findWindowPanes(snapshot, params.session, params.window), bound) : undefined;
          return { ok: true, ...(changedWithin ? { changedWithin } : {}), ...(from === undefined ? {} : { mayHaveChangedFrom: from }) };
        }
        wasOk = false;
        const changedWithin = findWindowGone(tmux.windowEvents, lastWindow, since, bound);
        return { ok: false, detail: describeMissing(snapshot, params.session, params.window), ...(changedWithin ? { changedWithin } : {}) };
      },
      watch: (onTrigger) => tmux.watch(onTrigger),
      getEventBound: (from, to) => tmux.getEventBound(from, to),
    };
  },
});
