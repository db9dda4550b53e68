// The healer's disk check: when the data area runs short of space it gives up its ballast (space it
// held back for this), and takes it again once there is room. It only ever removes its own file: a
// filler someone else left there keeps the area full, and that shows as a failed repair.
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { BALLAST_NAME, createBallast, getBallastBytes, getDataSpace, getMinFreeBytes } from './data-area.js';
import type { Finding, HealContext } from './heal-context.js';

/** A data area under its free-space minimum, or a ballast to take back. */
export function findDiskProblems(context: HealContext): Finding[] {
  const area = context.state.data;
  if (!area) return [];
  let space;
  try {
    space = getDataSpace(area);
  } catch {
    return []; // Unmounted or removed under us: stop ends the healer.
  }
  const ballast = join(area.path, BALLAST_NAME);
  const minFree = getMinFreeBytes(area);
  if (space.freeBytes < minFree) {
    return [
      {
        component: 'disk',
        subject: 'data',
        detail: `data area has ${formatBytes(space.freeBytes)} free of ${formatBytes(space.sizeBytes)} (minimum ${formatBytes(minFree)})`,
        async repair() {
          if (!existsSync(ballast)) throw new Error(`data area still full (${formatBytes(getDataSpace(area).freeBytes)} free) and no ballast of ours left to release`);
          rmSync(ballast, { force: true });
          return `released the ${formatBytes(getBallastBytes(area))} ballast: ${formatBytes(getDataSpace(area).freeBytes)} free now`;
        },
      },
    ];
  }
  // Take the ballast back only with room to spare, so releasing and re-taking it cannot flap.
  if (!existsSync(ballast) && space.freeBytes >= getBallastBytes(area) + 2 * minFree) {
    return [
      {
        component: 'disk',
        subject: `data/${BALLAST_NAME}`,
        detail: 'ballast missing while the data area has room',
        async repair() {
          return `ballast of ${formatBytes(createBallast(area))} re-created`;
        },
      },
    ];
  }
  return [];
}

function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MiB` : `${Math.round(bytes / 1024)} KiB`;
}
