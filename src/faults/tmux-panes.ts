// Looks up one pane of the target's tmux server by session, window (name or index) and pane index.
import { Type } from '@sinclair/typebox';
import { GuardError } from '../errors.js';
import type { Target } from '../targets/types.js';
import { describeSocket, getWindowId } from './tmux-objects.js';
import { MAX_INDEX } from '../util/number-limits.js';

/** Params naming a pane, shared by the pane faults. */
export const paneProperties = {
  session: Type.String({ minLength: 1, description: 'Session name.' }),
  window: Type.Union([Type.String({ minLength: 1 }), Type.Integer({ minimum: 0, maximum: MAX_INDEX })], { description: 'Window name or index.' }),
  pane: Type.Optional(Type.Integer({ minimum: 0, maximum: 99, default: 0, description: 'Pane index in the window.' })),
};

/** A pane by its stable id (%N) and the pid of the process running in it. */
export interface PaneRef {
  paneId: string;
  pid: number;
  label: string;
}

/** Formats the pane params for plans and messages (`proj-a:Claude-Agent.0`). */
export function describePane(params: { session: string; window: string | number; pane?: number }): string {
  return `${params.session}:${params.window}.${params.pane ?? 0}`;
}

/** Finds the pane; throws GuardError naming the field when it is not on the target's server. */
export async function findPane(target: Target, params: { session: string; window: string | number; pane?: number }): Promise<PaneRef> {
  const label = describePane(params);
  const windowId = await getWindowId(target, params.session, params.window);
  if (!windowId) throw new GuardError(`fault.window: no window "${params.session}:${params.window}" on ${describeSocket(target)}`);
  const listed = await target.tmux(['list-panes', '-t', windowId, '-F', '#{pane_index}\t#{pane_id}\t#{pane_pid}']);
  const row = listed.stdout.split('\n').map((line) => line.split('\t')).find((fields) => fields[0] === String(params.pane ?? 0));
  const pid = Number(row?.[2]);
  if (listed.exitCode !== 0 || !row || !Number.isInteger(pid) || pid <= 1) {
    throw new GuardError(`fault.pane: no pane ${params.pane ?? 0} in window "${params.session}:${params.window}" on ${describeSocket(target)}`);
  }
  return { paneId: row[1]!, pid, label };
}

/**
 * Finds the pane a one-string address names: `session:window[.pane]` (window by name or index, pane
 * index 0 by default) or a pane id `%N`. Panes are looked up in tmux's own listings, never through a
 * `-t` target, which tmux resolves leniently (a missing window or pane falls back to another one).
 */
export async function findPaneByAddress(target: Target, address: string): Promise<PaneRef> {
  if (/^%\d+$/.test(address)) {
    const listed = await target.tmux(['list-panes', '-a', '-F', '#{pane_id}\t#{pane_pid}']);
    const pid = Number(listed.stdout.split('\n').map((line) => line.split('\t')).find((fields) => fields[0] === address)?.[1]);
    if (listed.exitCode !== 0 || !Number.isInteger(pid) || pid <= 1) throw new GuardError(`fault.pane: no pane ${address} on ${describeSocket(target)}`);
    return { paneId: address, pid, label: address };
  }
  const parsed = /^=?([^:]+):(.+?)(?:\.(\d+))?$/.exec(address);
  if (!parsed) throw new GuardError(`fault.pane: "${address}" is not a pane address`, { hint: 'give session:window[.pane] (e.g. proj-a:Claude-Agent.0) or a pane id (%3)' });
  return findPane(target, { session: parsed[1]!, window: parsed[2]!, ...(parsed[3] !== undefined ? { pane: Number(parsed[3]) } : {}) });
}
