// Probe: a directory holds at most maxEntries entries (temp files, spool, sessions), counted without a
// process (ls | wc -l). Event-driven: fs.watch on the directory announces entries created and removed, and
// on its parent the directory itself being removed or replaced. Counted again only when its stat changed.
import { opendirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Type } from '@sinclair/typebox';
import { FS_EVENT_BOUND_MS } from '../measure/sources/file-watcher.js';
import { defineProbe } from './types.js';
import { defineProbeParams } from './params.js';
import { createStatCachedCheck, statQuietly } from './file-cache.js';
import { MAX_INDEX } from '../util/number-limits.js';

export default defineProbe({
  type: 'dir.entries',
  summary: 'passes while the directory exists and holds at most maxEntries entries (hidden ones included, like ls -A)',
  params: defineProbeParams('dir.entries', {
    path: Type.String({ minLength: 1, description: 'Directory path (relative to the target home).' }),
    maxEntries: Type.Integer({ minimum: 0, maximum: MAX_INDEX, description: 'Most entries (files, folders, links; not . and ..) that pass.' }),
  }, 'A directory holds at most a number of entries.'),
  create(params, { target, sources }) {
    const path = target.resolvePath(params.path);
    const files = () => sources.files();
    const check = createStatCachedCheck(path, async () => {
      const stat = statQuietly(path);
      if (!stat) return { ok: false, detail: `${params.path} missing` };
      if (!stat.isDirectory()) return { ok: false, detail: `${params.path} is not a directory` };
      let count: number;
      try {
        count = countEntries(path, params.maxEntries + 1);
      } catch (error) {
        return { ok: false, detail: `cannot list ${params.path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}` };
      }
      return count > params.maxEntries ? { ok: false, detail: `${params.path} holds more than maxEntries ${params.maxEntries} entries (counting stops there)` } : { ok: true };
    });
    return {
      async check() {
        // The directory (through its parent) and its entries (through itself); either may need re-arming.
        files().refresh(path);
        files().refreshFolder(path);
        return check();
      },
      watch(onTrigger) {
        const stopSelf = files().watch(path, onTrigger);
        const stopEntries = files().watchFolder(path, onTrigger);
        return () => {
          stopSelf();
          stopEntries();
        };
      },
      // Every change is announced only while both the parent and the directory are watched.
      getEventBound: (from, to) => (files().isFolderCovered(dirname(path), from, to) && files().isFolderCovered(path, from, to) ? FS_EVENT_BOUND_MS : null),
    };
  },
});

// Counts entries up to `limit` and stops there: a directory a fault filled with 20,000 files is not
// listed in full on every event (this runs on the event loop, between the other probes' checks).
function countEntries(path: string, limit: number): number {
  const dir = opendirSync(path, { bufferSize: 128 });
  try {
    let count = 0;
    while (count < limit && dir.readSync() !== null) count += 1;
    return count;
  } finally {
    dir.closeSync();
  }
}
