// Probe: a heartbeat file was modified within the last maxAgeMs. Writes arrive through fs.watch; the
// moment it turns stale is known in advance (mtime + maxAgeMs), so it is checked exactly then.
import { Type } from '@sinclair/typebox';
import { performance } from 'node:perf_hooks';
import { epochMs } from '../util/clock.js';
import { defineProbe } from './types.js';
import { defineProbeParams } from './params.js';
import { statQuietly } from './file-cache.js';
import { createFileProbe } from './watch-file.js';

export default defineProbe({
  type: 'file.fresh',
  summary: 'passes while the file’s modification time is at most maxAgeMs old (a heartbeat)',
  params: defineProbeParams('file.fresh', {
    path: Type.String({ minLength: 1, description: 'File path (relative to the target home).' }),
    maxAgeMs: Type.Integer({ minimum: 1, maximum: 86_400_000, description: 'Largest age of the last write that still counts as alive.' }),
  }, 'A heartbeat file is fresh.'),
  create(params, { target, sources }) {
    const path = target.resolvePath(params.path);
    return createFileProbe(sources, path, async () => {
      const stat = statQuietly(path);
      if (!stat) return { ok: false, detail: `${params.path} missing` };
      const mtime = Number(stat.mtimeNs) / 1e6;
      const age = epochMs() - mtime;
      if (age > params.maxAgeMs) return { ok: false, detail: `${params.path} last written ${Math.round(age)} ms ago (> ${params.maxAgeMs} ms)` };
      return { ok: true, recheckAt: mtime + params.maxAgeMs - performance.timeOrigin };
    });
  },
});
