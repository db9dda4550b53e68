// Probe: a process is alive, found by pidfile or by a pattern over command lines. Reads /proc only (no
// process spawned). Polled: Linux gives no exit event for a process faultline did not start; a pidfile
// rewritten on restart is watched through fs.watch.
import { readFileSync, readdirSync } from 'node:fs';
import { Type } from '@sinclair/typebox';
import { isPidAlive } from '../util/pid.js';
import { defineProbe } from './types.js';
import { defineProbeParams } from './params.js';
import { refreshWatch, watchFile } from './watch-file.js';
import { MAX_THREADS } from '../util/number-limits.js';

export default defineProbe({
  type: 'process.alive',
  summary: 'passes while the process in pidFile (or at least minCount processes matching `matches`) is alive',
  params: defineProbeParams('process.alive', {
    pidFile: Type.Optional(Type.String({ minLength: 1, description: 'File holding the pid, relative to the target home (give pidFile or matches).' })),
    matches: Type.Optional(Type.String({ description: 'Regular expression over /proc/<pid>/cmdline (arguments joined by spaces).' })),
    minCount: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_THREADS, default: 1, description: 'With matches: how many processes must match.' })),
  }, 'A process is alive.'),
  create(params, { target, sources }) {
    if (params.pidFile !== undefined) {
      const path = target.resolvePath(params.pidFile);
      return {
        async check() {
          refreshWatch(sources, path);
          let pid: number;
          try {
            pid = Number(readFileSync(path, 'utf8').trim());
          } catch (error) {
            return { ok: false, detail: `cannot read ${params.pidFile}: ${(error as NodeJS.ErrnoException).code ?? String(error)}` };
          }
          if (!Number.isInteger(pid) || pid <= 0) return { ok: false, detail: `${params.pidFile} holds no pid` };
          return isPidAlive(pid) ? { ok: true } : { ok: false, detail: `process ${pid} (from ${params.pidFile}) is not running` };
        },
        watch: watchFile(sources, path),
      };
    }
    if (params.matches === undefined) throw new Error('process.alive needs pidFile or matches');
    const pattern = new RegExp(params.matches);
    const minCount = params.minCount ?? 1;
    return {
      // Scanning every /proc/<pid>/cmdline costs about 1 ms: poll it less often than a pidfile.
      defaultIntervalMs: 200,
      async check() {
        const count = countMatchingProcesses(pattern);
        return count >= minCount ? { ok: true } : { ok: false, detail: `${count} process(es) match /${params.matches}/ (< ${minCount})` };
      },
    };
  },
});


function countMatchingProcesses(pattern: RegExp): number {
  let count = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    let cmdline: string;
    try {
      cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
    } catch {
      continue;
    }
    if (cmdline === '') continue;
    if (pattern.test(cmdline.replace(/\0$/, '').replaceAll('\0', ' ')) && isPidAlive(Number(entry))) count += 1;
  }
  return count;
}
