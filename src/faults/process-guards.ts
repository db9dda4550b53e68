// Which processes are the target's, and which no fault may ever signal (init, faultline, its ancestors).
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Target } from '../targets/types.js';
import { getPackagePath } from '../util/package-root.js';
import { getAncestors, getDescendants, readProcess, type ProcInfo } from './proc-table.js';

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
 * its panes, pids recorded in pidfiles (for the reference target `<dir>/run/*.pid`, checked against
 * the instance's command lines; for other targets the pidfiles a scenario names under its roots).
 */
export async function findTargetRoots(target: Target, table: ReadonlyMap<number, ProcInfo>, pidFiles: ReadonlyMap<number, string> = new Map()): Promise<Map<number, string>> {
  const roots = new Map<number, string>();
  const server = await target.tmux(['display-message', '-p', '#{pid}']);
  const serverPid = Number(server.stdout.trim());
  if (server.exitCode === 0 && table.has(serverPid)) roots.set(serverPid, 'the target’s tmux server');
  const panes = await target.tmux(['list-panes', '-a', '-F', '#{pane_pid}\t#{session_name}:#{window_index}.#{pane_index}']);
  if (panes.exitCode === 0) {
    for (const line of panes.stdout.split('\n')) {
      const [pid, where] = line.split('\t');
      if (pid && where && table.has(Number(pid))) roots.set(Number(pid), `runs in the target’s pane ${where}`);
    }
  }
  if (target.kind === 'reference') for (const [pid, why] of readReferencePidFiles(target.home, table)) roots.set(pid, why);
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

// A recorded pid counts only while its command line points into the instance (a recycled pid does not).
function readReferencePidFiles(home: string, table: ReadonlyMap<number, ProcInfo>): Map<number, string> {
  const found = new Map<number, string>();
  const runDir = join(home, 'run');
  let names: string[] = [];
  try {
    names = readdirSync(runDir).filter((name) => name.endsWith('.pid'));
  } catch {
    return found;
  }
  for (const name of names) {
    const pid = readPidFileSync(join(runDir, name));
    const info = pid === undefined ? undefined : table.get(pid) ?? readProcess(pid);
    if (info && info.argv.some((arg) => arg === home || arg.startsWith(`${home}/`))) found.set(info.pid, `recorded in run/${name}`);
  }
  return found;
}

/** Reads one pid from a pidfile; undefined when missing or malformed. */
export function readPidFileSync(path: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(path, 'utf8').trim(), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}
