// Fault: a hog process that allocates and touches N MiB and holds it (a leaking background process,
// seed 000 EXHAUSTION-001). It runs as the target's uid (so it counts against the target's own
// budgets) and exits by itself after durationMs; rollback and `faultline recover` reap it.
import { readFileSync } from 'node:fs';
import { Type } from '@sinclair/typebox';
import { GuardError } from '../errors.js';
import { createHogMarker, isHogAlive, readRecordedHogs, reapHogs, recordHogs, spawnHog } from './hogs.js';
import { findTargetIdentity, getHogIdentity, getTargetIdentity } from './target-identity.js';
import { defineFault } from './types.js';
import { defineFaultParams } from './params.js';

/** Hard cap, whatever the host. */
export const MAX_MEMORY_MIB = 1024;
/** Never more than this share of MemAvailable. */
export const MAX_AVAILABLE_SHARE = 0.5;

// Touches every page (Buffer.alloc alone may map zero pages lazily), reports, then holds until the deadline.
const HOG_SCRIPT = [
  'const [mib, ms] = process.argv.slice(1).map(Number);',
  'const chunks = [];',
  'for (let done = 0; done < mib; done += 64) { const chunk = Buffer.allocUnsafeSlow(Math.min(64, mib - done) * 1048576); chunk.fill(0x5a); chunks.push(chunk); }',
  'setTimeout(() => process.exit(chunks.length >= 0 ? 0 : 1), ms);',
].join('\n');

export default defineFault({
  type: 'resource.exhaust-memory',
  summary: 'holds N MiB in a hog process of the target’s uid for a duration',
  params: defineFaultParams('resource.exhaust-memory', {
    mib: Type.Integer({ minimum: 1, maximum: MAX_MEMORY_MIB, description: `MiB to allocate and hold (at most ${MAX_MEMORY_MIB}, and at most half of MemAvailable).` }),
    durationMs: Type.Optional(Type.Integer({ minimum: 100, maximum: 600_000, default: 120_000, description: 'The hog exits by itself after this long.' })),
  }, 'Exhaust memory.'),
  async plan(params, { target }) {
    checkMemory(params.mib);
    const identity = await findTargetIdentity(target);
    const as = identity ? `uid ${getHogIdentity(identity)?.uid ?? process.getuid?.()}` : "the target's uid";
    return {
      touches: [`start a process of ${as} holding ${params.mib} MiB for ${params.durationMs ?? 120_000} ms`],
      guards: [`at most ${MAX_MEMORY_MIB} MiB and ${MAX_AVAILABLE_SHARE * 100}% of MemAvailable (${Math.round(readAvailableMiB())} MiB now)`, 'the hog is recorded with its start time and reaped on rollback'],
    };
  },
  async prepare(params, { target }) {
    checkMemory(params.mib);
    const identity = getHogIdentity(await getTargetIdentity(target));
    return { marker: createHogMarker(), identity: identity ?? null, mib: params.mib, durationMs: params.durationMs ?? 120_000 };
  },
  async inject(_params, { stateDir }, state) {
    const hog = spawnHog(process.execPath, ['-e', HOG_SCRIPT, String(state.mib), String(state.durationMs)], String(state.marker), (state.identity as { uid: number; gid: number } | null) ?? undefined);
    recordHogs(stateDir, [hog]);
    // In effect once the pages are resident: wait for that (allocation runs at a few GiB/s).
    const deadline = performance.now() + 10_000 + Number(state.mib) * 10;
    while (readResidentMiB(hog.pid) < Number(state.mib) * 0.9) {
      if (!isHogAlive(hog)) throw new Error(`the memory hog (pid ${hog.pid}) exited before holding ${state.mib} MiB`);
      if (performance.now() > deadline) throw new Error(`the memory hog (pid ${hog.pid}) did not reach ${state.mib} MiB resident in time`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  },
  async verify(_params, { stateDir }, state) {
    const [hog] = readRecordedHogs(stateDir);
    return hog !== undefined && isHogAlive(hog) && readResidentMiB(hog.pid) >= Number(state.mib) * 0.9;
  },
  async rollback(_params, { stateDir }, state) {
    const { reaped, remaining } = await reapHogs(stateDir, String(state.marker));
    return remaining.length === 0
      ? { ok: true, detail: reaped > 0 ? `memory hog reaped (${state.mib} MiB released)` : 'memory hog already gone' }
      : { ok: false, detail: `memory hog still alive: pid ${remaining.map((hog) => hog.pid).join(', ')}` };
  },
});

function checkMemory(mib: number): void {
  if (mib > MAX_MEMORY_MIB) throw new GuardError(`fault.mib: ${mib} MiB is over the cap of ${MAX_MEMORY_MIB} MiB`);
  const available = readAvailableMiB();
  if (mib > available * MAX_AVAILABLE_SHARE) {
    throw new GuardError(`fault.mib: ${mib} MiB is more than ${MAX_AVAILABLE_SHARE * 100}% of the ${Math.round(available)} MiB this host has available`, { hint: 'lower fault.mib' });
  }
}

function readAvailableMiB(): number {
  try {
    return Number(/^MemAvailable:\s+(\d+)/m.exec(readFileSync('/proc/meminfo', 'utf8'))?.[1] ?? 0) / 1024;
  } catch {
    return 0;
  }
}

function readResidentMiB(pid: number): number {
  try {
    return Number(/^VmRSS:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
  } catch {
    return 0;
  }
}
