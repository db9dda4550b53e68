// The data area as the orchestrator sees it: free space (statfs on its tmpfs, or the byte budget of a
// plain directory), writes that respect the budget, and the ballast the healer releases under pressure.
import { mkdirSync, renameSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { DataArea } from './mount.js';
import { measureAllocatedBytes } from '../../util/allocated-bytes.js';

/** Space in the data area, in bytes. */
export interface DataSpace {
  sizeBytes: number;
  usedBytes: number;
  freeBytes: number;
}

/** The ballast file: space held back so the healer can give it up when the area fills. */
export const BALLAST_NAME = '.ballast';

/** Measures the area: the filesystem's own figures on a tmpfs, allocated blocks against the budget otherwise. */
export function getDataSpace(area: DataArea): DataSpace {
  if (area.kind === 'tmpfs') {
    const stats = statfsSync(area.path);
    const sizeBytes = stats.blocks * stats.bsize;
    return { sizeBytes, usedBytes: sizeBytes - stats.bfree * stats.bsize, freeBytes: stats.bavail * stats.bsize };
  }
  const usedBytes = measureAllocatedBytes(area.path);
  return { sizeBytes: area.sizeBytes, usedBytes, freeBytes: Math.max(0, area.sizeBytes - usedBytes) };
}

/** Size of the ballast: 4 MiB, or an eighth of a smaller area. */
export function getBallastBytes(area: DataArea): number {
  return Math.max(4096, Math.min(4 * 1024 * 1024, Math.floor(area.sizeBytes / 8 / 4096) * 4096));
}

/** Below this much free space the area is under pressure: 2 MiB, or a sixteenth of a smaller area. */
export function getMinFreeBytes(area: DataArea): number {
  return Math.max(4096, Math.min(2 * 1024 * 1024, Math.floor(area.sizeBytes / 16)));
}

/** Writes a file in the area atomically; a plain directory refuses writes past its budget like a full disk. */
export function writeDataFile(area: DataArea, relativePath: string, data: string | Uint8Array): void {
  const path = join(area.path, relativePath);
  if (area.kind === 'directory' && getDataSpace(area).freeBytes < Buffer.byteLength(data) + 4096) {
    throw Object.assign(new Error(`ENOSPC: data area budget of ${area.sizeBytes} bytes used up, write ${relativePath}`), { code: 'ENOSPC' });
  }
  mkdirSync(dirname(path), { recursive: true });
  const temp = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(temp, data);
    renameSync(temp, path);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}

/** Creates the ballast (zeros, so the pages or blocks are really allocated). */
export function createBallast(area: DataArea): number {
  const bytes = getBallastBytes(area);
  writeDataFile(area, BALLAST_NAME, Buffer.alloc(bytes));
  return bytes;
}

