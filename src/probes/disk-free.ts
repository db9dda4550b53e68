// Probe: the filesystem holding a path has enough free space (statfs: no process spawned; polled).
import { statfs } from 'node:fs/promises';
import { Type } from '@sinclair/typebox';
import { defineProbe } from './types.js';
import { defineProbeParams } from './params.js';
import { MAX_BYTES } from '../util/number-limits.js';

const MiB = 1024 * 1024;

export default defineProbe({
  type: 'disk.free',
  summary: 'passes while the filesystem holding the path has at least minBytes and minPercent free',
  params: defineProbeParams('disk.free', {
    path: Type.String({ minLength: 1, description: 'A path on the filesystem (relative to the target home).' }),
    minBytes: Type.Optional(Type.Integer({ minimum: 0, maximum: MAX_BYTES, default: MiB, description: 'Least free bytes available to unprivileged users (default 1 MiB).' })),
    minPercent: Type.Optional(Type.Number({ minimum: 0, maximum: 100, default: 0, description: 'Least free share of the filesystem, in percent.' })),
  }, 'A filesystem has free space.'),
  defaultIntervalMs: 100,
  create(params, { target }) {
    const path = target.resolvePath(params.path);
    const minBytes = params.minBytes ?? MiB;
    const minPercent = params.minPercent ?? 0;
    return {
      async check() {
        let free: number;
        let percent: number;
        try {
          const stats = await statfs(path);
          free = stats.bavail * stats.bsize;
          percent = stats.blocks === 0 ? 0 : (100 * stats.bavail) / stats.blocks;
        } catch (error) {
          return { ok: false, detail: `cannot statfs ${params.path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}` };
        }
        if (free < minBytes) return { ok: false, detail: `${formatBytes(free)} free under ${params.path} (< ${formatBytes(minBytes)})` };
        if (percent < minPercent) return { ok: false, detail: `${percent.toFixed(1)}% free under ${params.path} (< ${minPercent}%)` };
        return { ok: true };
      },
    };
  },
});

function formatBytes(bytes: number): string {
  return bytes >= MiB ? `${(bytes / MiB).toFixed(1)} MiB` : `${bytes} B`;
}
