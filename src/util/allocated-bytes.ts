// Disk usage as `du` counts it: allocated blocks, so a fallocate'd file counts in full and a sparse one does not.
import { lstatSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** Allocated bytes of a file, or of a directory tree (0 when it cannot be read). */
export function measureAllocatedBytes(path: string): number {
  let stats;
  try {
    stats = lstatSync(path);
  } catch {
    return 0;
  }
  let total = stats.blocks * 512;
  if (stats.isDirectory()) {
    let names: string[] = [];
    try {
      names = readdirSync(path);
    } catch {
      names = [];
    }
    for (const name of names) total += measureAllocatedBytes(join(path, name));
  }
  return total;
}
