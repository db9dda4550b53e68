// Who the orchestrator's processes run as. Root ignores RLIMIT_NPROC, so when started as root the
// instance runs everything (tmux server, agents, scheduler, healer and what they spawn) as a
// dedicated unprivileged uid under a process budget: then a process-exhaustion fault really
// exhausts it. Without root the processes run as the invoking user and have no budget.
import { lchownSync, lstatSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { TargetError } from '../../errors.js';
import { findExecutable, runCommand } from './exec.js';
import { listUidProcesses } from '../../util/proc-usage.js';
import { acquireUidLock, findDeadGuard, readUidLock } from './uid-lock.js';
import { UID_BASE, UID_SPAN, isInRanges, readSubordinateRanges } from './uid-range.js';

/** The identity and budgets of an instance's processes (target.json `runAs`). */
export interface RunAs {
  uid: number;
  gid: number;
  /** The uid is this instance's alone (picked as root and checked unused): the healer may reap its strays, stop kills what is left of it. */
  dedicated: boolean;
  /** RLIMIT_NPROC of every process; the kernel counts the uid's threads against it. */
  processBudget?: number;
  /** The healer reaps stray processes of the uid when their resident memory passes this. */
  memoryBudgetMiB?: number;
  /** Absolute path of prlimit, which applies the budget. */
  prlimit?: string;
  /** Why the processes run as the invoking user, when they do. */
  note?: string;
}

export { UID_BASE, UID_SPAN, isReservedUid } from './uid-range.js';

/**
 * Chooses the identity for an instance in `dir`; `requestedUid` forces one (0 = stay root, no budget).
 * A dedicated uid comes locked to `dir` (see uid-lock.ts): release it with releaseUidLock when not used.
 */
export function chooseRunAs(dir: string, budgets: { processBudget: number; memoryBudgetMiB: number }, requestedUid?: number): RunAs {
  const self = { uid: process.getuid?.() ?? 0, gid: process.getgid?.() ?? 0 };
  if (self.uid !== 0) {
    return { ...self, dedicated: false, note: 'not started as root: processes run as the invoking user with no process budget (resource.exhaust-processes refuses such a target)' };
  }
  if (requestedUid === 0) return { uid: 0, gid: 0, dedicated: false, note: 'runAsUid 0: processes run as root, which ignores RLIMIT_NPROC' };
  const prlimit = findExecutable('prlimit', `${process.env.PATH ?? ''}:/usr/bin:/bin:/usr/sbin:/sbin`);
  if (requestedUid !== undefined && isInRanges(requestedUid, readSubordinateRanges())) {
    throw new TargetError(`runAsUid ${requestedUid} lies in a range /etc/subuid or /etc/subgid gives to a user's containers`, { hint: 'pass a uid outside those ranges, or leave runAsUid out to get a free one' });
  }
  if (requestedUid !== undefined && readAccountUids().has(requestedUid)) {
    throw new TargetError(`runAsUid ${requestedUid} belongs to an account in /etc/passwd: the healer and stop would kill that account's processes`, { hint: 'pass a uid no account uses, or leave runAsUid out to get a free one' });
  }
  const uid = requestedUid ?? pickFreeUid(dir);
  if (requestedUid !== undefined && listUidProcesses(requestedUid).length > 0) {
    throw new TargetError(`runAsUid ${requestedUid} already has running processes: its process budget would be shared`, { hint: 'pass an unused uid, or leave runAsUid out to get a dedicated one' });
  }
  if (requestedUid !== undefined && !acquireUidLock(requestedUid, dir)) {
    const guard = findDeadGuard(requestedUid);
    const holder = guard ? `nobody can release its lock: ${guard} was left by a process that died (remove it once nothing runs as the uid)` : `held by the instance in ${readUidLock(requestedUid)?.dir ?? '(unknown)'}`;
    throw new TargetError(`runAsUid ${requestedUid} is ${holder}`, { hint: 'pass another uid, or leave runAsUid out to get a dedicated one' });
  }
  return { uid, gid: uid, dedicated: true, processBudget: prlimit ? budgets.processBudget : undefined, memoryBudgetMiB: budgets.memoryBudgetMiB, prlimit, ...(prlimit ? {} : { note: 'prlimit not found (util-linux): no process budget' }) };
}

/**
 * Checks that the uid can run the scripts and write the instance dir (every parent must be
 * searchable by it); returns why not, or undefined when it can.
 */
export async function checkAccess(runAs: RunAs, paths: { dir: string; nodePath: string; script: string }): Promise<string | undefined> {
  if (runAs.uid === (process.getuid?.() ?? 0)) return undefined;
  const result = await runCommand('/bin/sh', ['-c', 'test -x "$1" || exit 3; test -r "$2" || exit 4; test -w "$3" -a -x "$3" || exit 5', 'sh', paths.nodePath, paths.script, paths.dir], {
    uid: runAs.uid,
    gid: runAs.gid,
    timeoutMs: 3000,
  });
  const what: Record<number, string> = { 3: `cannot execute ${paths.nodePath}`, 4: `cannot read ${paths.script}`, 5: `cannot write ${paths.dir} (a parent directory may not be searchable by others)` };
  return result.exitCode === 0 ? undefined : `uid ${runAs.uid} ${what[result.exitCode] ?? `failed the access check (${result.error ?? result.exitCode})`}`;
}

/** The identity to fall back to when the dedicated uid cannot work in this directory. */
export function getRootFallback(reason: string): RunAs {
  return { uid: 0, gid: 0, dedicated: false, note: `${reason}: processes run as root, with no process budget` };
}

/** Gives the instance's tree to the uid (lchown: a symlink placed by a fault is not followed). */
export function chownTree(path: string, uid: number, gid: number): void {
  lchownSync(path, uid, gid);
  if (!lstatSync(path).isDirectory()) return;
  for (const name of readdirSync(path)) chownTree(join(path, name), uid, gid);
}

/** The argv that starts `file args` under the budget (prlimit execs it: the pid stays the same). */
export function wrapWithBudget(runAs: RunAs | undefined, file: string, args: string[]): [string, string[]] {
  if (!runAs?.prlimit || runAs.processBudget === undefined) return [file, args];
  return [runAs.prlimit, [`--nproc=${runAs.processBudget}:${runAs.processBudget}`, '--', file, ...args]];
}

/** Spawn options that switch to the uid (only when it differs from ours). */
export function getIdentityOptions(runAs: RunAs | undefined): { uid?: number; gid?: number } {
  if (!runAs || runAs.uid === (process.getuid?.() ?? 0)) return {};
  return { uid: runAs.uid, gid: runAs.gid };
}

// A uid derived from the directory (parallel instances usually get different ones), skipping taken
// ones; the lock makes it this instance's alone even when two starts land on the same uid at once.
function pickFreeUid(dir: string): number {
  const accounts = readAccountUids();
  const subordinate = readSubordinateRanges();
  const start = hashText(dir) % UID_SPAN;
  // 256 candidates are checked; accounts and subordinate ranges are skipped without counting (a range may be large).
  for (let offset = 0, tried = 0; offset < UID_SPAN && tried < 256; offset++) {
    const uid = UID_BASE + ((start + offset) % UID_SPAN);
    if (accounts.has(uid) || isInRanges(uid, subordinate)) continue;
    tried += 1;
    // Unreaped zombies of an earlier instance would still count against the new one's budget.
    if (listUidProcesses(uid, { includeZombies: true }).length > 0) continue;
    if (acquireUidLock(uid, dir)) return uid;
  }
  throw new TargetError(`no unused uid found in ${UID_BASE}–${UID_BASE + UID_SPAN - 1} (outside accounts and /etc/subuid ranges)`, { hint: 'pass runAsUid explicitly' });
}

function readAccountUids(): Set<number> {
  try {
    return new Set(readFileSync('/etc/passwd', 'utf8').split('\n').map((line) => Number(line.split(':')[2])).filter(Number.isInteger));
  } catch {
    return new Set();
  }
}

function hashText(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return hash;
}
