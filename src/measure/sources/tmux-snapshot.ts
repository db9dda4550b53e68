// What one `list-panes -a` through the control client says about a tmux server, and lookups on it.

/** One pane of the server. */
export interface TmuxPaneRow {
  session: string;
  windowIndex: number;
  windowId: string;
  paneIndex: number;
  paneId: string;
  dead: boolean;
  pid: number;
  active: boolean;
  /** The pane's terminal (/dev/pts/N), empty when tmux reports none. */
  tty: string;
  windowName: string;
  command: string;
}

/** The server's panes; `server: false` when no server accepts connections on the socket. */
export interface TmuxSnapshot {
  server: boolean;
  panes: TmuxPaneRow[];
  /** Why the server could not be listed, when it could not. */
  detail?: string;
}

// Free-text fields (window name, command) come last; a tab inside a window name stays in it.
const FIELDS = ['session_name', 'window_index', 'window_id', 'pane_index', 'pane_id', 'pane_dead', 'pane_pid', 'pane_active', 'pane_tty', 'window_name', 'pane_current_command'];

/** The control-mode command that lists every pane. */
export const PANE_QUERY = `list-panes -a -F "${FIELDS.map((field) => `#{${field}}`).join('\t')}"`;

/** Parses the reply lines of PANE_QUERY. */
export function parsePaneRows(lines: readonly string[]): TmuxPaneRow[] {
  const rows: TmuxPaneRow[] = [];
  for (const line of lines) {
    const fields = line.split('\t');
    if (fields.length < FIELDS.length) continue;
    rows.push({
      session: fields[0]!,
      windowIndex: Number(fields[1]),
      windowId: fields[2]!,
      paneIndex: Number(fields[3]),
      paneId: fields[4]!,
      dead: fields[5] === '1',
      pid: Number(fields[6]),
      active: fields[7] === '1',
      tty: fields[8]!,
      windowName: fields.slice(9, -1).join('\t'),
      command: fields.at(-1)!,
    });
  }
  return rows;
}

/** Quotes one argument for tmux's command parser (single quotes: no $, ~ or ; expansion). */
export function quoteTmuxArg(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

/** The panes of a window, chosen by exact session name and window name or index. */
export function findWindowPanes(snapshot: TmuxSnapshot, session: string, window: string | number): TmuxPaneRow[] {
  const wanted = String(window);
  const inSession = snapshot.panes.filter((pane) => pane.session === session);
  // An index names a window exactly; a name may be shared, then the lowest index wins (as tmux does).
  const byIndex = inSession.filter((pane) => String(pane.windowIndex) === wanted);
  if (byIndex.length > 0) return byIndex;
  const byName = inSession.filter((pane) => pane.windowName === wanted);
  const first = Math.min(...byName.map((pane) => pane.windowIndex));
  return byName.filter((pane) => pane.windowIndex === first);
}

/** Describes what is missing, from the session down, for a probe's detail. */
export function describeMissing(snapshot: TmuxSnapshot, session: string, window?: string | number): string {
  if (!snapshot.server) return snapshot.detail ?? 'tmux server not running';
  if (!snapshot.panes.some((pane) => pane.session === session)) return `session ${session} missing`;
  return window === undefined ? `session ${session} present` : `window ${session}:${window} missing`;
}
