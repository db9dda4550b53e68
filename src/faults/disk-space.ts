// Where disk faults may put bytes, and how many: a tmpfs mounted under the target's roots may be
// filled to the brim; anything else (the host's disks, a shared tmpfs) only inside a data area the
// target declares, and never below the host free-space floor.
import { existsSync, readFileSync, realpathSync, statfsSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { GuardError } from '../errors.js';
import { measureAllocatedBytes } from '../util/allocated-bytes.js';
import type { DataAreaInfo, Target } from '../targets/types.js';

/** Bytes a disk fault must leave free on a filesystem that is not a dedicated tmpfs: 1 GiB or 5 %, whichever is more. */
export function getHostFloorBytes(filesystemSizeBytes: number): number {
  return Math.max(1024 ** 3, Math.ceil(filesystemSizeBytes * 0.05));
}

/** The filesystem a path lives on. */
export interface FilesystemInfo {
  mountPoint: string;
  fsType: string;
  sizeBytes: number;
  /** Free for unprivileged writers (f_bavail): what the target's processes can still use. */
  freeBytes: number;
  blockBytes: number;
}

/** Capacity, use and floor of the place a disk fault fills. */
export interface FillableArea {
  /** `tmpfs`: a tmpfs mounted under the roots (floor 0); `data-area`: a budgeted directory the target declares. */
  kind: 'tmpfs' | 'data-area';
  path: string;
  sizeBytes: number;
  usedBytes: number;
  freeBytes: number;
  filesystem: FilesystemInfo;
  /** Bytes that must stay free on the filesystem underneath (0 on a dedicated tmpfs). */
  floorBytes: number;
}

/** Describes the filesystem holding `path` (its mount point from /proc/self/mountinfo, its space from statfs). */
export function describeFilesystem(path: string): FilesystemInfo {
  const real = getExistingAncestor(getRealPath(path));
  let best: { mountPoint: string; fsType: string } = { mountPoint: '/', fsType: 'unknown' };
  for (const line of readMountInfo()) {
    const fields = line.split(' ');
    const mountPoint = unescapeMountPath(fields[4] ?? '');
    const fsType = fields[fields.indexOf('-') + 1] ?? 'unknown';
    if (isInside(mountPoint, real) && mountPoint.length >= best.mountPoint.length) best = { mountPoint, fsType };
  }
  const stats = statfsSync(real);
  return { ...best, sizeBytes: stats.blocks * stats.bsize, freeBytes: stats.bavail * stats.bsize, blockBytes: stats.bsize };
}

/** The area disk.fill may fill at `path`, or a GuardError naming `field` saying why none. */
export function getFillableArea(target: Target, path: string, field: string): FillableArea {
  const filesystem = describeFilesystem(path);
  const real = getRealPath(path);
  const roots = target.roots.map(getRealPath);
  if (filesystem.fsType === 'tmpfs' && roots.some((root) => root !== filesystem.mountPoint && isInside(root, filesystem.mountPoint))) {
    const stats = statfsSync(real);
    const sizeBytes = stats.blocks * stats.bsize;
    return { kind: 'tmpfs', path: filesystem.mountPoint, sizeBytes, usedBytes: sizeBytes - stats.bfree * stats.bsize, freeBytes: filesystem.freeBytes, filesystem, floorBytes: 0 };
  }
  const area = findDataArea(target.dataAreas ?? [], real);
  if (area?.kind === 'directory') {
    const usedBytes = measureAllocatedBytes(area.path);
    return { kind: 'data-area', path: area.path, sizeBytes: area.sizeBytes, usedBytes, freeBytes: Math.max(0, area.sizeBytes - usedBytes), filesystem, floorBytes: getHostFloorBytes(filesystem.sizeBytes) };
  }
  throw new GuardError(
    `${field}: ${path} is on ${filesystem.mountPoint} (${filesystem.fsType}), a filesystem shared with the host; disk.fill only fills a tmpfs mounted under the target's roots or a data area the target declares`,
    { hint: area ? `the data area ${area.path} should be a mounted tmpfs but is not: restart the target` : 'point the fault at the target’s data area (the reference orchestrator’s is data/)' },
  );
}

/**
 * Refuses to write `bytes` more onto the filesystem holding `path` unless it is a tmpfs mounted under
 * the roots (bounded by its own size) or the host keeps its free-space floor afterwards.
 */
export function checkWriteBudget(target: Target, path: string, bytes: number, field: string): FilesystemInfo {
  const filesystem = describeFilesystem(path);
  const roots = target.roots.map(getRealPath);
  const dedicated = filesystem.fsType === 'tmpfs' && roots.some((root) => root !== filesystem.mountPoint && isInside(root, filesystem.mountPoint));
  if (dedicated) return filesystem;
  const floor = getHostFloorBytes(filesystem.sizeBytes);
  if (filesystem.freeBytes - bytes < floor) {
    throw new GuardError(`${field}: writing up to ${formatBytes(bytes)} on ${filesystem.mountPoint} would leave ${formatBytes(Math.max(0, filesystem.freeBytes - bytes))} free, below the host floor of ${formatBytes(floor)}`, {
      hint: 'lower the byte count, or point the fault at a tmpfs mounted under the target’s roots',
    });
  }
  return filesystem;
}

/** "1.5 MiB", "12 KiB", "3.0 GiB". */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 ** 3) return `${(bytes / 1024 ** 3).toFixed(1)} GiB`;
  if (bytes >= 1024 ** 2) return `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
  return `${Math.round(bytes / 1024)} KiB`;
}

function findDataArea(areas: readonly DataAreaInfo[], real: string): DataAreaInfo | undefined {
  return areas.find((area) => isInside(getRealPath(area.path), real));
}

function readMountInfo(): string[] {
  try {
    return readFileSync('/proc/self/mountinfo', 'utf8').split('\n').filter(Boolean);
  } catch {
    return [];
  }
}

// statfs needs an existing path: a directory a run has not created yet lives on its parent's filesystem.
function getExistingAncestor(path: string): string {
  let current = path;
  while (!existsSync(current) && dirname(current) !== current) current = dirname(current);
  return current;
}

function getRealPath(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    const parent = dirname(path);
    return parent === path ? path : resolve(getRealPath(parent), relative(parent, path));
  }
}

function isInside(root: string, child: string): boolean {
  const rel = relative(root, child);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

function unescapeMountPath(text: string): string {
  return text.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(Number.parseInt(octal, 8)));
}
