// Which processes are the target's, and which no fault may ever signal (init, faultline, its ancestors).
import { findDeclaredProcesses } from '../targets/declared-processes.js';
import { getTargetDriver } from '../targets/drivers/registry.js';
import type { Target } from '../targets/types.js';
import { getPackagePath } from '../util/package-root.js';
import { readPidFileNumber } from '../util/pid.js';
import { getAncestors, getDescendants, type ProcInfo } from './proc-table.js';

/**
 * Pid → why no fault may signal it: pid 1, faultline itself and its ancestors (shell, tmux pane,
 * CI runner), other faultline CLI processes, and faultline's children — except a child the target
 * itself vouches for (a reference orchestrator that faultline started records its helpers in
 * run/*.pid) and that child's own descendants.
 */
export function getProtectedPids(table: ReadonlyMap<number, ProcInfo>, targetRoots: ReadonlyMap<number, string>): Map<number, string> {
  const protectedPids = new Map<number, string>();
  for (const pid of getDescendants(table, [process.pid])) {
    if (!descendsFromTargetRoot(table, pid, targetRoots)) protectedPids.set(pid, `a child of faultline (pid ${process.pid})`);
  }
  const cli = getPackagePath('bin', 'faultline.js');
  for (const info of table.values()) if (info.argv.includes(cli)) protectedPids.set(info.pid, 'a faultline process');
  for (const pid of getAncestors(table, process.pid)) protectedPids.set(pid, `an ancestor of faultline (pid ${process.pid})`);
  protectedPids.set(process.pid, 'faultline itself');
  protectedPids.set(1, 'pid 1 (init)');
  return protectedPids;
}

// True when a target root lies on the path from `pid` up to (not including) faultline.
function descendsFromTargetRoot(table: ReadonlyMap<number, ProcInfo>, pid: number, roots: ReadonlyMap<number, string>): boolean {
  for (let current: number | undefined = pid; current !== undefined && current !== process.pid && current > 1; current = table.get(current)?.ppid) {
    if (roots.has(current)) return true;
  }
  return false;
}

/**
 * Pid → why it is the target's, for the processes that anchor it: its tmux server, the processes in
 * its panes, the processes its driver vouches for (the reference target's `<dir>/run/*.pid`, checked
 * against the instance's command lines; supervisord and its programs), the processes its target file
 * declares, and pidfiles a scenario names (`pidFiles`, for drivers that trust them).
 */
export async function findTargetRoots(target: Target, table: ReadonlyMap<number, ProcInfo>, pidFiles: ReadonlyMap<number, string> = new Map()): Promise<Map<number, string>> {
  const roots = new Map<number, string>();
  const server = target.socket ? await target.tmux(['display-message', '-p', '#{pid}']) : undefined;
  const serverPid = Number(server?.stdout.trim());
  if (server?.exitCode === 0 && table.has(serverPid)) roots.set(serverPid, 'the target’s tmux server');
  const panes = target.socket ? await target.tmux(['list-panes', '-a', '-F', '#{pane_pid}\t#{session_name}:#{window_index}.#{pane_index}']) : undefined;
  if (panes?.exitCode === 0) {
    for (const line of panes.stdout.split('\n')) {
      const [pid, where] = line.split('\t');
      if (pid && where && table.has(Number(pid))) roots.set(Number(pid), `runs in the target’s pane ${where}`);
    }
  }
  const driver = getTargetDriver(target.driver);
  for (const [pid, why] of (await driver.findOwnedProcesses?.(target, table)) ?? []) roots.set(pid, why);
  for (const [pid, why] of await findDeclaredProcesses(target, table)) if (!roots.has(pid)) roots.set(pid, why);
  for (const [pid, why] of pidFiles) if (table.has(pid)) roots.set(pid, why);
  return roots;
}

/** The target's processes: its roots and all their descendants. */
export function expandTargetProcesses(table: ReadonlyMap<number, ProcInfo>, roots: ReadonlyMap<number, string>): Map<number, string> {
  const owned = new Map(roots);
  for (const [root, why] of roots) {
    for (const pid of getDescendants(table, [root])) if (!owned.has(pid)) owned.set(pid, `a descendant of pid ${root} (${why})`);
  }
  return owned;
}

/** Reads one pid from a pidfile (util/pid's one parser; pid 1 is returned, so the guards can refuse it by name). */
export function readPidFileSync(path: string): number | undefined {
  return readPidFileNumber(path);
}
