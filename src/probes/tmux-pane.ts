// Shared params and lookup of the pane probes: a pane by session, window and (optionally) pane index.
import { Type } from '@sinclair/typebox';
import { describeMissing, findWindowPanes, type TmuxPaneRow, type TmuxSnapshot } from '../measure/sources/tmux-snapshot.js';
import { MAX_INDEX } from '../util/number-limits.js';

/** The params that name a pane. */
export const paneParams = {
  session: Type.String({ minLength: 1, description: 'Session name (exact).' }),
  window: Type.Union([Type.String({ minLength: 1 }), Type.Integer({ minimum: 0, maximum: MAX_INDEX })], { description: 'Window name or index.' }),
  pane: Type.Optional(Type.Integer({ minimum: 0, maximum: MAX_INDEX, description: 'Pane index (default: the window’s active pane).' })),
};

/** Finds the pane, or says what is missing. */
export function findPane(snapshot: TmuxSnapshot, params: { session: string; window: string | number; pane?: number }): { pane: TmuxPaneRow } | { detail: string } {
  const panes = findWindowPanes(snapshot, params.session, params.window);
  if (panes.length === 0) return { detail: describeMissing(snapshot, params.session, params.window) };
  const pane = params.pane === undefined ? (panes.find((candidate) => candidate.active) ?? panes[0]) : panes.find((candidate) => candidate.paneIndex === params.pane);
  return pane ? { pane } : { detail: `pane ${params.session}:${params.window}.${params.pane} missing` };
}
