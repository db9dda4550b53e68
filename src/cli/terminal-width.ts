// How wide to lay out help and the live status line: the terminal's width, or $COLUMNS when output is piped.

const FALLBACK_COLUMNS = 80;
const MIN_COLUMNS = 40;

/** The column count to wrap at (the terminal's, else $COLUMNS, else 80). */
export function getTerminalWidth(stdout: { columns?: number } = process.stdout, env: NodeJS.ProcessEnv = process.env): number {
  const fromEnv = Number.parseInt(env.COLUMNS ?? '', 10);
  const columns = stdout.columns ?? (Number.isFinite(fromEnv) && fromEnv > 0 ? fromEnv : FALLBACK_COLUMNS);
  return Math.max(MIN_COLUMNS, columns);
}
