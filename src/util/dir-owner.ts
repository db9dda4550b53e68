// Who a target's directory belongs to: whoever owns it can plant programs in it, so commands run for the
// target run as that owner, never as root. Read from the directory itself, never from a state file inside
// it (which that uid can rewrite).
import { statSync } from 'node:fs';

/** The uid and gid owning `dir` when that is not root; undefined for root or when it cannot be read. */
export function readNonRootOwner(dir: string): { uid: number; gid: number } | undefined {
  try {
    const stats = statSync(dir);
    return stats.uid === 0 ? undefined : { uid: stats.uid, gid: stats.gid };
  } catch {
    return undefined;
  }
}
