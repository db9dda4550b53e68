// Fault: a disaster-recovery drill of the target's PostgreSQL (the DR assessment's "backup and restore",
// targets RTO < 5 min and RPO < 1 min). From t0 a backup is taken every backupEveryMs: a crash-consistent
// copy of the data directory, taken while every PostgreSQL process is frozen (SIGSTOP) for the copy — what
// a filesystem snapshot gives, from which PostgreSQL starts as after a crash. disasterAfterMs after t0 the
// server is killed and its data directory destroyed, then restored from the latest backup; the target's
// supervisor starts PostgreSQL on it. Acknowledged writes after that backup are gone: a sql.rows canary
// counts them (the RPO in rows), and the run's RTO minus disasterAfterMs is the time from the disaster.
// Backups live in faultline's memory only (nothing is written outside the data directory's own parent).
import { closeSync, existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Type } from '@sinclair/typebox';
import { GuardError, getErrorMessage } from '../errors.js';
import { findService } from '../targets/services/find-service.js';
import type { Target } from '../targets/types.js';
import { sleep } from '../util/clock.js';
import { writeFileAtomic } from '../util/files.js';
import { getFdIdentity, listDirectory, openChildDirectory, withDirectory, openDirectory, renameEntry } from '../util/safe-fs.js';
import { readTree, removeTree, writeTree, type TreeEntry } from './data-dir-tree.js';
import { resolveGuardedRealPath, withGuardedDirectory } from './guards.js';
import { getDescendants, isSameProcessAlive, readProcess, readProcessTable } from './proc-table.js';
import { selectProcesses } from './process-select.js';
import { signalIfSameProcess } from './signals.js';
import { defineFault } from './types.js';
import { defineFaultParams } from './params.js';

/** The largest data directory a drill copies into memory. */
export const MAX_BACKUP_BYTES = 512 * 1024 * 1024;
const FROZEN_FILE = 'frozen.json';

interface Drill {
  backups: Array<{ at: number; endedAt: number; entries: TreeEntry[]; bytes: number }>;
  timer?: NodeJS.Timeout;
  busy: Promise<void>;
  done: Promise<boolean>;
  cancel: () => void;
  log: string[];
}
const drills = new Map<string, Drill>();

export default defineFault({
  type: 'db.dr-drill',
  needs: ['services'],
  summary: 'backs up a postgres data directory on a schedule, then destroys it and restores the latest backup (a DR drill)',
  goesInAfterInject: true,
  params: defineFaultParams('db.dr-drill', {
    service: Type.Optional(Type.String({ minLength: 1, description: 'The postgres service (target.services[].name); default: the target’s only one.' })),
    dataDir: Type.String({ minLength: 1, description: 'Its data directory (PGDATA), relative to the target home, e.g. pg/data.' }),
    process: Type.Optional(Type.String({ minLength: 1, description: 'The declared process that runs it (default: the service’s `process`).' })),
    backupEveryMs: Type.Optional(Type.Integer({ minimum: 200, maximum: 600_000, default: 2000, description: 'The backup schedule: one at t0, then one every this long until the disaster.' })),
    disasterAfterMs: Type.Optional(Type.Integer({ minimum: 100, maximum: 600_000, default: 5000, description: 'When, after t0, the server is killed, its data directory destroyed and the latest backup restored (never sooner than half a backup period, at most 1 s, after a backup ends).' })),
    rpoTargetMs: Type.Optional(Type.Integer({ minimum: 1, maximum: 86_400_000, default: 60_000, description: 'The recovery point objective the report compares the measured RPO with (the RTO target is expect.rtoMs).' })),
  }, 'A disaster-recovery drill of a PostgreSQL data directory.'),
  async plan(params, { target }) {
    const { dataDir, process } = resolveDrill(target, params);
    return {
      touches: [
        `from t0, every ${params.backupEveryMs ?? 2000} ms: freeze declared process ${process} and its children (SIGSTOP), copy ${dataDir} into faultline's memory, thaw them (SIGCONT)`,
        `${params.disasterAfterMs ?? 5000} ms after t0: SIGKILL ${process} and its children, delete ${dataDir}, write the latest backup in its place (owners and modes kept); the target’s supervisor restarts the server`,
      ],
      guards: [
        `the data directory lies under the target roots (${target.roots.join(', ')}) and holds only directories and regular files (links refused), at most ${MAX_BACKUP_BYTES / 1048576} MiB`,
        'only the declared process and its descendants are frozen or killed; frozen pids are recorded first, and rollback or recover thaws any left stopped',
        'every read and write in the data directory is fd-relative and never follows a link',
      ],
    };
  },
  async prepare(params, { target }) {
    const { dataDir, process } = resolveDrill(target, params);
    if (!existsSync(dataDir) || !statSync(dataDir).isDirectory()) throw new GuardError(`fault.dataDir: ${dataDir} is not a directory`);
    const parentId = withGuardedDirectory(target, dirname(dataDir), 'fault.dataDir', getFdIdentity);
    await selectProcesses({ process }, target);
    return { dataDir, parentId, process, marker: randomBytes(6).toString('hex'), backupEveryMs: params.backupEveryMs ?? 2000, disasterAfterMs: params.disasterAfterMs ?? 5000 };
  },
  async inject(_params, { target, stateDir }, state) {
    const start = performance.now();
    const drill: Drill = { backups: [], busy: Promise.resolve(), done: Promise.resolve(false), cancel: () => undefined, log: [] };
    drills.set(stateDir, drill);
    let running = false;
    const backUp = () => {
      // On schedule, never queued: a backup still copying when the next is due makes that one skip.
      if (running) return drill.busy;
      running = true;
      drill.busy = (async () => {
        try {
          const began = performance.now();
          const backup = await takeBackup(target, stateDir, state);
          // The latest and the one before it: enough to restore, bounded in memory.
          drill.backups = [...drill.backups.slice(-1), { ...backup, endedAt: performance.now() }];
          drill.log.push(`backup at ${Math.round(backup.at - start)} ms (${Math.round(performance.now() - began)} ms, ${backup.bytes} bytes)`);
        } finally {
          running = false;
        }
      })();
      return drill.busy;
    };
    await backUp();
    drill.timer = setInterval(() => {
      // None due at or after the disaster.
      if (performance.now() - start >= Number(state.disasterAfterMs)) return;
      void backUp().catch((error: unknown) => drill.log.push(`backup failed: ${getErrorMessage(error)}`));
    }, Number(state.backupEveryMs));
    let cancelled = false;
    drill.cancel = () => {
      cancelled = true;
      clearInterval(drill.timer);
    };
    drill.done = (async () => {
      await sleep(Math.max(0, start + Number(state.disasterAfterMs) - performance.now()));
      clearInterval(drill.timer);
      await drill.busy.catch(() => undefined);
      // A disaster does not wait on the backup schedule: never right as a backup ends (the copy itself froze the
      // server, so no write is in between), but at least half a period (at most 1 s) after it.
      const settle = Math.min(Number(state.backupEveryMs) / 2, 1000);
      await sleep(Math.max(0, (drill.backups.at(-1)?.endedAt ?? 0) + settle - performance.now()));
      if (cancelled) return false;
      const latest = drill.backups.at(-1)!;
      const disasterAt = performance.now();
      await destroyAndRestore(target, state, latest.entries);
      drill.log.push(`disaster at ${Math.round(disasterAt - start)} ms; restored the backup taken at ${Math.round(latest.at - start)} ms in ${Math.round(performance.now() - disasterAt)} ms`);
      return true;
    })().catch((error: unknown) => {
      drill.log.push(`disaster or restore failed: ${getErrorMessage(error)}`);
      return false;
    });
  },
  async verify(_params, { stateDir }) {
    const drill = drills.get(stateDir);
    return drill ? drill.done : false;
  },
  async rollback(_params, { stateDir }, state) {
    const drill = drills.get(stateDir);
    drill?.cancel();
    await drill?.busy.catch(() => undefined);
    await drill?.done;
    drills.delete(stateDir);
    const thawed = thawRecorded(stateDir);
    // A restore killed half-way leaves its temp tree beside the data directory: ours by the marker.
    const leftovers = withDirectory(dirname(String(state.dataDir)), typeof state.parentId === 'string' ? state.parentId : undefined, (dirFd) => {
      const names = listDirectory(dirFd).filter((name) => name.startsWith(`.faultline-restore-${String(state.marker)}`));
      for (const name of names) removeTree(dirFd, name, name);
      return names;
    });
    const still = thawed.filter((entry) => readProcess(entry.pid)?.state === 'T' && isSameProcessAlive(entry.pid, entry.startTime));
    if (still.length > 0) return { ok: false, detail: `processes still stopped after SIGCONT: ${still.map((entry) => entry.pid).join(', ')}` };
    const parts = [...(drill?.log ?? []), ...(thawed.length > 0 ? [`thawed ${thawed.length} process(es) a backup left stopped`] : []), ...(leftovers.length > 0 ? [`removed ${leftovers.join(', ')}`] : [])];
    return { ok: true, detail: `${parts.join('; ') || 'drill cancelled before its disaster'}; what the restore dropped (writes after the latest backup) is not put back: that loss is the drill's measured RPO` };
  },
});

function resolveDrill(target: Target, params: { service?: string; dataDir: string; process?: string }): { dataDir: string; process: string } {
  const service = findService(target, 'postgres', params.service, 'fault.service');
  const process = params.process ?? service.process;
  if (!process) throw new GuardError(`fault.process: service ${service.name} names no declared process; give process`);
  return { dataDir: resolveGuardedRealPath(target, params.dataDir, 'fault.dataDir'), process };
}

// The server's processes now: the declared process (guarded like every process fault) and its descendants.
async function selectServer(target: Target, process: string): Promise<Array<{ pid: number; startTime: number }>> {
  const [main] = await selectProcesses({ process }, target);
  const table = readProcessTable();
  const pids = [main!.pid, ...getDescendants(table, [main!.pid])];
  return pids.flatMap((pid) => (table.get(pid) ? [{ pid, startTime: table.get(pid)!.startTime }] : []));
}

async function takeBackup(target: Target, stateDir: string, state: Record<string, unknown>): Promise<{ at: number; entries: TreeEntry[]; bytes: number }> {
  const processes = await selectServer(target, String(state.process));
  // Recorded before the first SIGSTOP: a faultline killed mid-copy leaves them for rollback or recover to thaw.
  writeFileAtomic(join(stateDir, FROZEN_FILE), JSON.stringify(processes));
  try {
    for (const entry of processes) signalIfSameProcess(entry.pid, entry.startTime, 'SIGSTOP');
    const deadline = performance.now() + 2000;
    while (processes.some((entry) => isSameProcessAlive(entry.pid, entry.startTime) && readProcess(entry.pid)?.state !== 'T') && performance.now() < deadline) await sleep(2);
    const at = performance.now();
    const dataDir = String(state.dataDir);
    const parentFd = openDirectory(dirname(dataDir), typeof state.parentId === 'string' ? state.parentId : undefined);
    try {
      const dirFd = openChildDirectory(parentFd, basename(dataDir), dataDir);
      if (dirFd === undefined) throw new Error(`${dataDir} is gone`);
      try {
        const { entries, bytes } = readTree(dirFd, dataDir, MAX_BACKUP_BYTES);
        return { at, entries, bytes };
      } finally {
        closeSync(dirFd);
      }
    } finally {
      closeSync(parentFd);
    }
  } finally {
    thawRecorded(stateDir);
  }
}

// SIGCONT to every recorded frozen process still alive, then forget them; returns those it signalled.
function thawRecorded(stateDir: string): Array<{ pid: number; startTime: number }> {
  const file = join(stateDir, FROZEN_FILE);
  let recorded: Array<{ pid: number; startTime: number }> = [];
  try {
    recorded = JSON.parse(readFileSync(file, 'utf8')) as typeof recorded;
  } catch {
    return [];
  }
  const thawed = recorded.filter((entry) => signalIfSameProcess(entry.pid, entry.startTime, 'SIGCONT'));
  rmSync(file, { force: true });
  return thawed;
}

// The disaster and the restore: the server killed, its data directory deleted, the backup written under a
// temp name and renamed into place (a supervisor that restarts the server meanwhile never sees half a tree).
async function destroyAndRestore(target: Target, state: Record<string, unknown>, entries: readonly TreeEntry[]): Promise<void> {
  const processes = await selectServer(target, String(state.process));
  for (const entry of processes) signalIfSameProcess(entry.pid, entry.startTime, 'SIGKILL');
  const deadline = performance.now() + 5000;
  while (processes.some((entry) => isSameProcessAlive(entry.pid, entry.startTime)) && performance.now() < deadline) await sleep(5);
  const dataDir = String(state.dataDir);
  const name = basename(dataDir);
  const temp = `.faultline-restore-${String(state.marker)}`;
  const parentFd = openDirectory(dirname(dataDir), typeof state.parentId === 'string' ? state.parentId : undefined);
  try {
    const top = openChildDirectory(parentFd, name, dataDir);
    const root = top === undefined ? { mode: 0o700, uid: entries[0]?.uid ?? 0, gid: entries[0]?.gid ?? 0 } : (() => {
      const stats = statSync(`/proc/self/fd/${top}`);
      closeSync(top);
      return { mode: stats.mode & 0o7777, uid: stats.uid, gid: stats.gid };
    })();
    removeTree(parentFd, name, dataDir);
    writeTree(parentFd, temp, root, entries);
    renameEntry(parentFd, temp, name);
  } finally {
    closeSync(parentFd);
  }
}
