// The tmux notifications that name a window (%window-add @3, %unlinked-window-close @3, …), kept by
// window id with their arrival time: they pin a window's appearance or disappearance to one event.

/** What happened to a window. */
export type WindowEventKind = 'add' | 'close' | 'renamed';

/** One notification about a window: it arrived at `at` (monotonic), at most `boundMs` after the change. */
export interface WindowEvent {
  kind: WindowEventKind;
  at: number;
  boundMs: number;
}

const PATTERN = /^%(?:unlinked-)?window-(add|close|renamed) (@\d+)/;
const MAX_WINDOWS = 4096;
const MAX_EVENTS = 8;

/** Recent events per window id (window ids are never reused by a tmux server). */
export class WindowEventLog {
  private readonly events = new Map<string, WindowEvent[]>();

  /** Records a notification line if it names a window; returns whether it did. */
  record(line: string, at: number, boundMs: number): boolean {
    const match = PATTERN.exec(line);
    if (!match) return false;
    const id = match[2]!;
    const list = this.events.get(id) ?? [];
    list.push({ kind: match[1] as WindowEventKind, at, boundMs });
    if (list.length > MAX_EVENTS) list.shift();
    this.events.delete(id);
    this.events.set(id, list);
    if (this.events.size > MAX_WINDOWS) this.events.delete(this.events.keys().next().value!);
    return true;
  }

  /** Events of `id` of the given kinds that arrived at or after `since`. */
  find(id: string, kinds: readonly WindowEventKind[], since: number): WindowEvent[] {
    return (this.events.get(id) ?? []).filter((event) => kinds.includes(event.kind) && event.at >= since);
  }
}
