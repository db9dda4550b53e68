// Pins a tmux probe's change to the notification that announced it, by window id: a window appears
// with its %window-add, disappears with its %window-close, and a session lives from its first
// window's add to its last window's close. Without such an event there is no evidence.
import { statSync } from 'node:fs';
import type { TmuxPaneRow } from '../measure/sources/tmux-snapshot.js';
import type { WindowEvent, WindowEventLog } from '../measure/sources/window-events.js';
import { monotonicMs } from '../util/clock.js';

type Window = { after: number; before: number } | undefined;
/** How late an event that arrived at `at` can be (ms): the observer's bound for the time since the previous check. */
export type LatenessBound = (at: number) => number;

const toWindow = (event: WindowEvent | undefined, bound?: LatenessBound): Window => (event ? { after: event.at - Math.max(event.boundMs, bound?.(event.at) ?? 0), before: event.at } : undefined);
const latest = (events: WindowEvent[]) => events.reduce<WindowEvent | undefined>((last, event) => (!last || event.at > last.at ? event : last), undefined);
const earliest = (events: WindowEvent[]) => events.reduce<WindowEvent | undefined>((first, event) => (!first || event.at < first.at ? event : first), undefined);

/** A window that now matches (added, or renamed to match) since `since`. */
export function findWindowAppeared(log: WindowEventLog, id: string, since: number, bound?: LatenessBound): Window {
  return toWindow(latest(log.find(id, ['add', 'renamed'], since)), bound);
}

/** A window that matched before and is gone (closed, or renamed away) since `since`. */
export function findWindowGone(log: WindowEventLog, id: string | undefined, since: number, bound?: LatenessBound): Window {
  return id === undefined ? undefined : toWindow(latest(log.find(id, ['close', 'renamed'], since)), bound);
}

/** A session that now exists: its earliest window added since `since`. */
export function findSessionAppeared(log: WindowEventLog, windowIds: readonly string[], since: number, bound?: LatenessBound): Window {
  return toWindow(earliest(windowIds.flatMap((id) => log.find(id, ['add'], since))), bound);
}

/** A session that is gone: the last close of the windows it had, when every one of them was seen closing. */
export function findSessionGone(log: WindowEventLog, windowIds: readonly string[], since: number, bound?: LatenessBound): Window {
  const closes = windowIds.map((id) => latest(log.find(id, ['close'], since)));
  if (windowIds.length === 0 || closes.some((event) => event === undefined)) return undefined;
  return toWindow(latest(closes as WindowEvent[]), bound);
}

// Only a pty's own node is looked at (the name comes from the target's server): stat, never open.
const PTY = /^\/dev\/pts\/\d+$/;

/**
 * Where the appearance of an object with these panes may lie at the earliest (monotonic ms): tmux
 * makes a window, then its first pane's terminal, so the object existed no later than the oldest
 * terminal's change time (kernel clock, at most a tick behind), less the lateness `bound` allows for
 * the server's work in between. Undefined without a readable terminal.
 */
export function findTerminalsMadeFrom(panes: readonly TmuxPaneRow[], bound: LatenessBound): number | undefined {
  let oldest = Number.POSITIVE_INFINITY;
  for (const pane of panes) {
    if (!PTY.test(pane.tty)) continue;
    const changed = statSync(pane.tty, { bigint: true, throwIfNoEntry: false })?.ctimeNs;
    if (changed !== undefined) oldest = Math.min(oldest, Number(changed / 1000n) / 1000);
  }
  if (!Number.isFinite(oldest)) return undefined;
  // The wall clock's offset from the monotonic one, now (Date.now() is whole ms: one more ms of margin).
  const made = oldest - (Date.now() - monotonicMs()) - 1;
  return made - bound(made);
}
