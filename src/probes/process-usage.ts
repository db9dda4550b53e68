// Probe: the processes of one uid stay within their budgets: threads (what RLIMIT_NPROC counts) below a
// process's limit or a fixed count, resident memory below a size. Reads /proc only (no process spawned):
// a probe that forks fails or stalls exactly when the uid's or the host's process slots run out. Polled.
import { readFileSync, statSync } from 'node:fs';
import { Type } from '@sinclair/typebox';
import { listUidProcesses, readProcessLimit } from '../util/proc-usage.js';
import { defineProbe } from './types.js';
import { defineProbeParams } from './params.js';
import { MAX_MIB, MAX_THREADS, MAX_UID } from '../util/number-limits.js';

const MiB = 1024 * 1024;

const params = defineProbeParams('process.usage', {
  ownerOf: Type.Optional(Type.String({ minLength: 1, description: 'Whose processes: those of the uid owning this path, relative to the target home (like `stat -c %u`; give ownerOf or uid).' })),
  uid: Type.Optional(Type.Integer({ minimum: 0, maximum: MAX_UID, description: 'Whose processes: those of this uid (give ownerOf or uid).' })),
  threadsBelowLimitOf: Type.Optional(Type.String({ minLength: 1, description: 'Pidfile (relative to the target home) of a process whose soft RLIMIT_NPROC ("Max processes" in /proc/<pid>/limits) the uid’s threads must stay below: at least one slot free.' })),
  maxThreads: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_THREADS, description: 'Most threads the uid may have, zombies included (RLIMIT_NPROC counts both).' })),
  maxRssMiB: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: MAX_MIB, description: 'Most resident memory the uid’s processes may hold together, in MiB.' })),
}, 'The processes of one uid stay within thread and memory budgets.');
// One owner, and at least one check (both checked by `faultline validate` too).
Object.assign(params, {
  allOf: [
    { oneOf: [{ required: ['ownerOf'], not: { required: ['uid'] } }, { required: ['uid'], not: { required: ['ownerOf'] } }] },
    { anyOf: [{ required: ['threadsBelowLimitOf'] }, { required: ['maxThreads'] }, { required: ['maxRssMiB'] }] },
  ],
});

/** What was read for one check; `error` when the uid or the limit cannot be known. */
type Reading<T> = { value: T } | { error: string };

export default defineProbe({
  type: 'process.usage',
  summary: 'passes while the threads and resident memory of one uid’s processes stay within the limits given',
  params,
  // A scan of /proc costs 0.5–1 ms (one stat per process, two reads per process of the uid): poll it
  // less often than a file probe.
  defaultIntervalMs: 200,
  create(params, { target }) {
    const owner = params.ownerOf === undefined ? undefined : target.resolvePath(params.ownerOf);
    const pidFile = params.threadsBelowLimitOf === undefined ? undefined : target.resolvePath(params.threadsBelowLimitOf);
    return {
      async check() {
        // The owner is read on every check: a restarted target may run as another uid.
        const uid = owner === undefined ? { value: params.uid! } : readOwner(owner, params.ownerOf!);
        if ('error' in uid) return { ok: false, detail: uid.error };
        const limit = pidFile === undefined ? undefined : readLimit(pidFile, params.threadsBelowLimitOf!);
        if (limit && 'error' in limit) return { ok: false, detail: limit.error };
        // Zombies hold no memory but keep their slot until reaped.
        const processes = listUidProcesses(uid.value, { includeZombies: true });
        const threads = processes.reduce((sum, process) => sum + process.threads, 0);
        const rssBytes = processes.reduce((sum, process) => sum + process.rssBytes, 0);
        const threadsText = describeThreads(threads, limit?.value, params.maxThreads);
        const rssText = describeRss(rssBytes, params.maxRssMiB);
        return { ok: threadsText.ok && rssText.ok, detail: `uid ${uid.value}: ${threadsText.text}; ${rssText.text}` };
      },
    };
  },
});

function readOwner(path: string, shown: string): Reading<number> {
  try {
    return { value: statSync(path).uid };
  } catch (error) {
    return { error: `cannot stat ${shown}: ${(error as NodeJS.ErrnoException).code ?? String(error)}` };
  }
}

// The limit of the process in the pidfile: null when it has none.
function readLimit(path: string, shown: string): Reading<number | null> {
  let pid: number;
  try {
    pid = Number(readFileSync(path, 'utf8').trim());
  } catch (error) {
    return { error: `cannot read ${shown}: ${(error as NodeJS.ErrnoException).code ?? String(error)}` };
  }
  if (!Number.isInteger(pid) || pid <= 0) return { error: `${shown} holds no pid` };
  const limit = readProcessLimit(pid);
  return limit === undefined ? { error: `process ${pid} (from ${shown}) is not running, so its process limit is unknown` } : { value: limit };
}

// "412 threads of 512 allowed", "512 threads of 512 allowed (none free)", "40 threads (max 64)".
function describeThreads(threads: number, limit: number | null | undefined, maxThreads: number | undefined): { ok: boolean; text: string } {
  let ok = true;
  let text = `${threads} thread${threads === 1 ? '' : 's'}`;
  if (limit === null) text += ' (no process limit)';
  else if (limit !== undefined) {
    text += ` of ${limit} allowed`;
    if (threads >= limit) {
      ok = false;
      text += ' (none free)';
    }
  }
  if (maxThreads !== undefined) {
    if (threads > maxThreads) ok = false;
    text += threads > maxThreads ? ` (> ${maxThreads})` : ` (max ${maxThreads})`;
  }
  return { ok, text };
}

// "188.3 MiB resident", "600.1 MiB resident (> 512 MiB)".
function describeRss(bytes: number, maxMiB: number | undefined): { ok: boolean; text: string } {
  const text = `${(bytes / MiB).toFixed(1)} MiB resident`;
  if (maxMiB === undefined) return { ok: true, text };
  return bytes > maxMiB * MiB ? { ok: false, text: `${text} (> ${maxMiB} MiB)` } : { ok: true, text: `${text} (max ${maxMiB} MiB)` };
}
