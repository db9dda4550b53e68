// The healer's resource checks, from /proc only (no fork: they must work when the process budget is gone).
// The instance's dedicated uid runs nothing but the orchestrator: a process of that uid outside its
// process tree is a leaked or orphaned background job. Under process or memory pressure the healer
// reaps those strays, as seed 000 recommends ("automated process cleanup"); it never touches its own tree.
import type { Finding, HealContext } from './heal-context.js';
import { readPidFile } from './processes.js';
import { isReservedUid } from './uid-range.js';
import { countUidThreads, findStrays, getProcessAgeMs, listUidProcesses, readLiveStartTicks, readUptimeSeconds, type UidProcess } from '../../util/proc-usage.js';

/** Pressure starts at this share of the process budget: the orchestrator still needs room to fork. */
export const PROCESS_PRESSURE_SHARE = 0.9;
/** A stray is reaped only once this old: a process just forked may still be on its way into our tree. */
export const STRAY_GRACE_MS = 1000;

/** Process-budget and memory pressure on the dedicated uid, with the strays to reap. */
export function findResourceProblems(context: HealContext): Finding[] {
  const runAs = context.state.runAs;
  // Only a uid of the reserved range is swept: never an account's, whatever target.json (writable by the uid) says.
  if (!runAs?.dedicated || !isReservedUid(runAs.uid)) return [];
  const all = listUidProcesses(runAs.uid, { includeZombies: true });
  const threads = all.reduce((sum, process) => sum + process.threads, 0);
  const live = listUidProcesses(runAs.uid);
  const residentBytes = live.reduce((sum, process) => sum + process.rssBytes, 0);
  const problems: string[] = [];
  let component: 'process' | 'memory' = 'process';
  if (runAs.processBudget !== undefined && threads >= Math.floor(runAs.processBudget * PROCESS_PRESSURE_SHARE)) {
    problems.push(`${threads}/${runAs.processBudget} processes (threads) in use`);
  }
  if (runAs.memoryBudgetMiB !== undefined && residentBytes > runAs.memoryBudgetMiB * 1024 * 1024) {
    if (problems.length === 0) component = 'memory';
    problems.push(`${toMiB(residentBytes)} MiB resident (budget ${runAs.memoryBudgetMiB} MiB)`);
  }
  if (problems.length === 0) return [];

  const roots = new Set([readPidFile(context.paths.tmuxPid), readPidFile(context.paths.schedulerPid), process.pid].filter((pid): pid is number => pid !== undefined));
  const strays = findStrays(live, roots);
  const uptime = readUptimeSeconds();
  const ripe = strays.filter((stray) => getProcessAgeMs(stray, uptime) >= STRAY_GRACE_MS);
  // Young strays only: wait a tick rather than report a repair that cannot act yet.
  if (strays.length > 0 && ripe.length === 0) return [];
  return [
    {
      component,
      subject: `uid ${runAs.uid}`,
      detail: `${problems.join(', ')}; ${strays.length} stray process${strays.length === 1 ? '' : 'es'} outside the orchestrator's tree`,
      async repair() {
        if (ripe.length === 0) throw new Error("nothing stray to reap: the orchestrator's own processes use the budget");
        const reaped = await reapStrays(runAs.uid, ripe);
        const after = countUidThreads(runAs.uid);
        return `reaped ${reaped.length} stray process${reaped.length === 1 ? '' : 'es'} (${describePids(reaped)}); ${after} threads in use now`;
      },
    },
  ];
}

// SIGKILL each stray that is still the same process (pid and start time), then wait for them to go.
async function reapStrays(uid: number, strays: readonly UidProcess[]): Promise<UidProcess[]> {
  const isSame = (stray: UidProcess) => readLiveStartTicks(stray.pid, uid) === stray.startTicks;
  const killed = strays.filter((stray) => stray.pid > 1 && stray.pid !== process.pid && isSame(stray) && sendKill(stray.pid));
  const deadline = performance.now() + 1000;
  while (killed.some(isSame) && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
  return killed;
}

function sendKill(pid: number): boolean {
  try {
    process.kill(pid, 'SIGKILL');
    return true;
  } catch {
    return false;
  }
}

function describePids(processes: readonly UidProcess[]): string {
  const pids = processes.map((process) => process.pid);
  return pids.length <= 5 ? `pids ${pids.join(', ')}` : `pids ${pids.slice(0, 5).join(', ')}, …`;
}

function toMiB(bytes: number): number {
  return Math.round(bytes / 1024 / 1024);
}
