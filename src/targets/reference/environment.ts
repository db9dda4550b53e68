// The environment of the orchestrator's processes: a short allow-list, so the test runner's or the user's
// NODE_OPTIONS, TMUX and the like never leak in; <dir>/bin comes first in PATH (for binary-shadowing faults).
import type { ReferencePaths } from './paths.js';

const KEPT = ['HOME', 'USER', 'LOGNAME', 'LANG', 'LC_ALL', 'LC_CTYPE', 'TZ', 'SHELL', 'TMPDIR'];

/**
 * The env of a tmux client faultline itself runs against an instance (stop, status): faultline's own
 * PATH and locale only. Never target.json's env, which the instance's uid can rewrite (PATH, LD_PRELOAD),
 * nor the instance's bin/ first on PATH, which that uid owns.
 */
export function buildClientEnv(source: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const env: Record<string, string> = {};
  for (const key of KEPT) {
    const value = source[key];
    if (value !== undefined) env[key] = value;
  }
  env.PATH = source.PATH || '/usr/local/bin:/usr/bin:/bin';
  return env;
}

/** Builds the env the tmux server, scheduler and healer run with; `ownHome` sets HOME to the instance dir (for a uid with no home). */
export function buildTargetEnv(paths: ReferencePaths, source: NodeJS.ProcessEnv = process.env, options: { ownHome?: boolean } = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const key of KEPT) {
    const value = source[key];
    if (value !== undefined) env[key] = value;
  }
  env.PATH = [paths.binDir, source.PATH || '/usr/local/bin:/usr/bin:/bin'].join(':');
  env.ORCHESTRATOR_HOME = paths.dir;
  if (options.ownHome) env.HOME = paths.dir;
  return env;
}
