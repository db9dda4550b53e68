// Fault: hold the free slots of the target's process budget with sleeper processes of its uid, so the
// target's next fork fails with EAGAIN (seed 000 EXHAUSTION-003). Root ignores RLIMIT_NPROC, so this
// needs a target whose processes run as another uid under a limit: the reference orchestrator does
// that when started as root (a dedicated uid, `prlimit --nproc`). The sleepers exit by themselves
// after durationMs; rollback (and `faultline recover` after a crash) reaps every one of them.
import { Type } from '@sinclair/typebox';
import { execa } from 'execa';
import { GuardError } from '../errors.js';
import { createHogMarker, isHogAlive, readRecordedHogs, reapHogs, recordHogs, spawnSleeperBatch, type HogRecord } from './hogs.js';
import { countUidThreads } from '../util/proc-usage.js';
import { findTargetIdentity, getHogIdentity, getTargetIdentity, type TargetIdentity } from './target-identity.js';
import { defineFault } from './types.js';
import { defineFaultParams } from './params.js';

/** Hard cap on sleepers, whatever the budget. */
export const MAX_SLEEPERS = 4096;
// Transient processes of the target (a check-in's tmux client) give their slots back when they exit: hold a few more.
const SLACK = 8;
const HOG_PATH = '/usr/local/bin:/usr/bin:/bin';

export default defineFault({
  type: 'resource.exhaust-processes',
  summary: "holds the free slots of the target's process budget (RLIMIT_NPROC of its uid) with sleeper processes",
  params: defineFaultParams('resource.exhaust-processes', {
    count: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_SLEEPERS, description: `Sleepers to hold (default: every free slot of the budget plus ${SLACK}, so the next fork fails). At most ${MAX_SLEEPERS}.` })),
    durationMs: Type.Optional(Type.Integer({ minimum: 100, maximum: 600_000, default: 120_000, description: 'The sleepers exit by themselves after this long (a bound even if nothing rolls back).' })),
  }, 'Exhaust the target’s process budget.'),
  async plan(params, { target }) {
    const identity = await findTargetIdentity(target);
    const guards = [`at most ${MAX_SLEEPERS} processes`, 'every sleeper recorded with its start time and reaped on rollback'];
    if (!identity) {
      return {
        touches: [`start ${params.count ?? 'enough'} sleeper processes of the target's uid to ${params.count ? 'hold that many slots of' : 'fill'} its process budget, each exiting after ${params.durationMs ?? 120_000} ms`],
        guards: [...guards, "when the run starts: the target's uid and budget are read from its tmux server; refused if it runs as root, as faultline's uid, or with no limit"],
      };
    }
    const count = getSleeperCount(identity, params.count);
    return {
      touches: [`start ${count} sleeper processes as uid ${identity.uid} (budget ${identity.processLimit}, ${countUidThreads(identity.uid)} in use), each exiting after ${params.durationMs ?? 120_000} ms`],
      guards: [`the target's uid is not root and not faultline's (${identity.uid})`, ...guards],
    };
  },
  async prepare(params, { target }) {
    const identity = await getTargetIdentity(target);
    getSleeperCount(identity, params.count);
    return { marker: createHogMarker(), uid: identity.uid, gid: identity.gid, processLimit: identity.processLimit, count: params.count ?? null, durationMs: params.durationMs ?? 120_000 };
  },
  async inject(_params, { stateDir }, state) {
    const identity = { serverPid: 0, uid: Number(state.uid), gid: Number(state.gid), processLimit: state.processLimit as number | null };
    const seconds = (Number(state.durationMs) / 1000).toFixed(3);
    const hogs: HogRecord[] = [];
    // One shell forks them all (found again by the marker after a crash): inject takes about as
    // long at any load, instead of one fork from Node per sleeper.
    const spawnSleepers = async (count: number) => {
      try {
        hogs.push(...(await spawnSleeperBatch(count, seconds, String(state.marker), getHogIdentity(identity))));
      } catch (error) {
        hogs.push(...((error as { hogs?: HogRecord[] }).hogs ?? []));
        throw error;
      }
    };
    try {
      if (state.count !== null) return await spawnSleepers(Number(state.count));
      // Filling: processes of the target that were counted may exit meanwhile (a check-in, a dying
      // process); top up until the budget is really full, within the cap.
      await spawnSleepers(getSleeperCount(identity, undefined));
      for (let round = 0; round < 3; round++) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        const missing = identity.processLimit! - countUidThreads(identity.uid);
        if (missing <= 0 || hogs.length >= MAX_SLEEPERS) break;
        await spawnSleepers(Math.min(missing + SLACK, MAX_SLEEPERS - hogs.length));
      }
    } finally {
      recordHogs(stateDir, hogs);
    }
  },
  async verify(_params, { stateDir }, state) {
    const hogs = readRecordedHogs(stateDir);
    if (hogs.length === 0 || !hogs.every(isHogAlive)) return false;
    // Filling the budget is in effect only if the target's next fork really fails.
    return state.count !== null || (await checkForkFails(Number(state.uid), Number(state.gid), Number(state.processLimit)));
  },
  async rollback(_params, { stateDir }, state) {
    const { reaped, remaining } = await reapHogs(stateDir, String(state.marker));
    return remaining.length === 0
      ? { ok: true, detail: `no sleeper left (${reaped} reaped by rollback, ${readRecordedHogs(stateDir).length - reaped} gone before it)` }
      : { ok: false, detail: `${remaining.length} sleeper(s) still alive: pids ${remaining.map((hog) => hog.pid).join(', ')}` };
  },
});

// How many sleepers; refuses a target whose processes faultline cannot or must not exhaust.
function getSleeperCount(identity: TargetIdentity, count: number | undefined): number {
  const self = process.getuid?.() ?? 0;
  if (identity.uid === 0) {
    throw new GuardError("fault: the target's processes run as root, which ignores RLIMIT_NPROC: its budget cannot be exhausted", {
      hint: 'run the target as an unprivileged uid with a process limit (the reference orchestrator does so when faultline runs as root)',
    });
  }
  if (identity.uid === self) {
    throw new GuardError(`fault: the target runs as faultline's own uid (${self}): holding its process budget would starve faultline and your session`, {
      hint: 'run faultline as root: the reference orchestrator then runs under a dedicated uid with its own budget',
    });
  }
  if (self !== 0) throw new GuardError(`fault: starting processes as the target's uid ${identity.uid} needs root`, { hint: 'run faultline as root' });
  if (count !== undefined) return count;
  if (identity.processLimit === null) {
    throw new GuardError(`fault: the target's processes (uid ${identity.uid}) have no process limit (RLIMIT_NPROC unlimited): filling it has no bound`, { hint: 'give fault.count, or set a limit (prlimit --nproc)' });
  }
  const needed = Math.max(1, identity.processLimit - countUidThreads(identity.uid) + SLACK);
  if (needed > MAX_SLEEPERS) {
    throw new GuardError(`fault.count: filling the budget of uid ${identity.uid} would take ${needed} processes, over the cap of ${MAX_SLEEPERS}`, { hint: 'give a smaller fault.count, or lower the target’s process budget' });
  }
  return needed;
}

/** True when a process of `uid` under the limit cannot fork (EAGAIN): what the target meets now. */
export async function checkForkFails(uid: number, gid: number, limit: number): Promise<boolean> {
  const result = await execa('prlimit', [`--nproc=${limit}:${limit}`, '--', '/bin/sh', '-c', '/bin/true & wait'], { uid, gid, reject: false, timeout: 3000, stdin: 'ignore', cwd: '/', env: { PATH: HOG_PATH }, extendEnv: false });
  return result.exitCode !== 0 && /fork|resource temporarily unavailable/i.test(String(result.stderr));
}
