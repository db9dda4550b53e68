// The processes a target declares as its own (target file `processes:`): by pidfile, by command-line
// pattern (optionally of one user) or by supervisor program — so process faults can select daemons
// that no tmux pane or supervisor parents, such as a `nohup … &` scheduler reparented to init.
import { readFileSync } from 'node:fs';
import type { ProcInfo } from '../faults/proc-table.js';
import { readPidFile } from '../util/pid.js';
import type { DeclaredProcess, Target } from './types.js';

/** Pid → why, for every live process the target declares. */
export async function findDeclaredProcesses(target: Target, table: ReadonlyMap<number, ProcInfo>): Promise<Map<number, string>> {
  const found = new Map<number, string>();
  for (const declared of target.processes ?? []) {
    for (const pid of await resolveDeclaredProcess(target, declared, table)) if (!found.has(pid)) found.set(pid, `declared process ${declared.name} (${describeDeclaredProcess(declared)})`);
  }
  return found;
}

/** The live pids one declaration names (none when its pidfile is empty, its pattern matches nothing, its program is not running). */
export async function resolveDeclaredProcess(target: Target, declared: DeclaredProcess, table: ReadonlyMap<number, ProcInfo>): Promise<number[]> {
  if (declared.pidfile !== undefined) {
    const pid = readPidFile(declared.pidfile);
    return pid !== undefined && table.has(pid) ? [pid] : [];
  }
  if (declared.program !== undefined) {
    const programs = (await target.supervisor?.listPrograms().catch(() => [])) ?? [];
    const pid = programs.find((program) => program.name === declared.program)?.pid;
    return pid !== undefined && table.has(pid) ? [pid] : [];
  }
  const pattern = new RegExp(declared.matches ?? '(?!)');
  const uid = declared.user === undefined ? undefined : lookupUid(declared.user);
  if (declared.user !== undefined && uid === undefined) return [];
  const pids: number[] = [];
  for (const info of table.values()) {
    if (info.pid === process.pid || !pattern.test(info.argv.join(' '))) continue;
    if (uid !== undefined && readUid(info.pid) !== uid) continue;
    pids.push(info.pid);
  }
  return pids.sort((a, b) => a - b);
}

/** `pidfile run/x.pid`, `/sched\.sh/ of user app`, `program worker`. */
export function describeDeclaredProcess(declared: DeclaredProcess): string {
  if (declared.pidfile !== undefined) return `pidfile ${declared.pidfile}`;
  if (declared.program !== undefined) return `supervisor program ${declared.program}`;
  return `/${declared.matches}/${declared.user !== undefined ? ` of user ${declared.user}` : ''}`;
}

// A user name or a numeric uid → uid, from /etc/passwd (no other user database is consulted).
function lookupUid(user: string): number | undefined {
  if (/^\d+$/.test(user)) return Number(user);
  try {
    for (const line of readFileSync('/etc/passwd', 'utf8').split('\n')) {
      const [name, , uid] = line.split(':');
      if (name === user && uid !== undefined) return Number(uid);
    }
  } catch {
    // No /etc/passwd: the user cannot be resolved, so nothing matches.
  }
  return undefined;
}

function readUid(pid: number): number | undefined {
  try {
    const uid = /^Uid:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return uid === undefined ? undefined : Number(uid);
  } catch {
    return undefined;
  }
}
