// The bounded data area for disk faults: a size-limited tmpfs as root, else a directory with a byte budget.
import { readFileSync } from 'node:fs';
import { runCommand } from './exec.js';

/** How the data area is bounded. */
export interface DataArea {
  path: string;
  kind: 'tmpfs' | 'directory';
  /** The bound: the tmpfs size, or the budget disk faults must respect in a plain directory. */
  sizeBytes: number;
  /** Why a tmpfs was not used, when it was not. */
  note?: string;
}

/** Mounts a tmpfs of `sizeMiB` at `path` when root (its root owned by `owner`); falls back to a budgeted directory. */
export async function mountDataArea(path: string, sizeMiB: number, owner: { uid: number; gid: number } = { uid: 0, gid: 0 }): Promise<DataArea> {
  const sizeBytes = sizeMiB * 1024 * 1024;
  if (process.getuid?.() !== 0) return { path, kind: 'directory', sizeBytes, note: 'not root: plain directory with a byte budget' };
  const result = await runCommand('mount', ['-t', 'tmpfs', '-o', `size=${sizeMiB}m,mode=0755,uid=${owner.uid},gid=${owner.gid}`, 'tmpfs', path], { timeoutMs: 5000 });
  if (result.exitCode === 0 && isMounted(path)) return { path, kind: 'tmpfs', sizeBytes };
  const reason = (result.stderr || result.error || `exit ${result.exitCode}`).trim();
  return { path, kind: 'directory', sizeBytes, note: `tmpfs mount failed (${reason}): plain directory with a byte budget` };
}

/** True when something is mounted exactly at `path` (per /proc/self/mountinfo). */
export function isMounted(path: string): boolean {
  let text: string;
  try {
    text = readFileSync('/proc/self/mountinfo', 'utf8');
  } catch {
    return false;
  }
  for (const line of text.split('\n')) {
    const mountPoint = line.split(' ')[4];
    if (mountPoint !== undefined && unescapeMountPath(mountPoint) === path) return true;
  }
  return false;
}

/** Unmounts everything stacked at `path`, lazily if busy; returns true when nothing is left mounted. */
export async function unmountDataArea(path: string): Promise<boolean> {
  for (let attempt = 0; attempt < 8 && isMounted(path); attempt++) {
    const result = await runCommand('umount', [path], { timeoutMs: 5000 });
    if (result.exitCode !== 0) await runCommand('umount', ['-l', path], { timeoutMs: 5000 });
  }
  return !isMounted(path);
}

/** Mount points at or under `root` (per /proc/self/mountinfo), innermost first: the order they can be unmounted in. */
export function getMountsUnder(root: string): string[] {
  try {
    return readFileSync('/proc/self/mountinfo', 'utf8')
      .split('\n')
      .map((line) => unescapeMountPath(line.split(' ')[4] ?? ''))
      .filter((mountPoint) => mountPoint === root || mountPoint.startsWith(`${root}/`))
      .reverse();
  } catch {
    return [];
  }
}

function unescapeMountPath(text: string): string {
  return text.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(Number.parseInt(octal, 8)));
}
