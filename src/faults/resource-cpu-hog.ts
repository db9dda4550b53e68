// Fault: N busy processes of the target's uid, one per core, for a duration (CPU starvation). Capped
// at the host's core count; each hog stops by itself at its deadline, and rollback and
// `faultline recover` reap them all.
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { Type } from '@sinclair/typebox';
import { GuardError } from '../errors.js';
import { createHogMarker, isHogAlive, readRecordedHogs, reapHogs, recordHogs, spawnHog, type HogRecord } from './hogs.js';
import { readProcess } from './proc-table.js';
import { findTargetIdentity, getHogIdentity, getTargetIdentity } from './target-identity.js';
import { defineFault } from './types.js';
import { defineFaultParams } from './params.js';

/** Schema cap; the real cap is the host's core count. */
export const MAX_CORES = 256;

// A busy loop that checks its deadline: it ends by itself even if nothing reaps it.
const HOG_SCRIPT = 'const end = Date.now() + Number(process.argv[1]); while (Date.now() < end) {}';

export default defineFault({
  type: 'resource.cpu-hog',
  summary: 'burns N cores with busy processes of the target’s uid for a duration',
  params: defineFaultParams('resource.cpu-hog', {
    cores: Type.Integer({ minimum: 1, maximum: MAX_CORES, description: 'Busy processes, one core each (at most the host’s core count).' }),
    durationMs: Type.Optional(Type.Integer({ minimum: 100, maximum: 600_000, default: 30_000, description: 'The hogs stop by themselves after this long.' })),
  }, 'Burn CPU.'),
  async plan(params, { target }) {
    checkCores(params.cores);
    const found = await findTargetIdentity(target);
    const as = found ? `uid ${getHogIdentity(found)?.uid ?? process.getuid?.()}` : "the target's uid";
    return {
      touches: [`start ${params.cores} busy process(es) of ${as} for ${params.durationMs ?? 30_000} ms`],
      guards: [`at most the host's ${availableParallelism()} cores`, 'every hog recorded with its start time and reaped on rollback'],
    };
  },
  async prepare(params, { target }) {
    checkCores(params.cores);
    const identity = getHogIdentity(await getTargetIdentity(target));
    return { marker: createHogMarker(), identity: identity ?? null, cores: params.cores, durationMs: params.durationMs ?? 30_000 };
  },
  async inject(_params, { stateDir }, state) {
    const hogs: HogRecord[] = [];
    try {
      for (let i = 0; i < Number(state.cores); i++) {
        hogs.push(spawnHog(process.execPath, ['-e', HOG_SCRIPT, String(state.durationMs)], String(state.marker), (state.identity as { uid: number; gid: number } | null) ?? undefined));
      }
    } finally {
      recordHogs(stateDir, hogs);
    }
  },
  async verify(_params, { stateDir }) {
    // Burning = alive and piling up CPU time; on a busy host a hog may wait a while for its first slice.
    const hogs = readRecordedHogs(stateDir);
    const before = hogs.map(readCpuTicks);
    const burning = new Set<number>();
    const deadline = performance.now() + 2000;
    while (hogs.length > 0 && performance.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      if (!hogs.every(isHogAlive)) return false;
      hogs.forEach((hog, index) => readCpuTicks(hog) > before[index]! && burning.add(index));
      if (burning.size === hogs.length) return true;
    }
    return false;
  },
  async rollback(_params, { stateDir }, state) {
    const { reaped, remaining } = await reapHogs(stateDir, String(state.marker));
    return remaining.length === 0
      ? { ok: true, detail: `no CPU hog left (${reaped} reaped)` }
      : { ok: false, detail: `${remaining.length} CPU hog(s) still alive: pids ${remaining.map((hog) => hog.pid).join(', ')}` };
  },
});

function checkCores(cores: number): void {
  const available = availableParallelism();
  if (cores > available) throw new GuardError(`fault.cores: ${cores} is more than this host's ${available} cores`, { hint: `use at most ${available}` });
}

// utime + stime (fields 14 and 15 of /proc/<pid>/stat) of a hog that is still itself; -1 when gone.
function readCpuTicks(hog: HogRecord): number {
  if (readProcess(hog.pid)?.startTime !== hog.startTime) return -1;
  try {
    const stat = readFileSync(`/proc/${hog.pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return -1;
  }
}
