// Re-reads a file only when its stat changed: polling file.parses or file.hash then costs one stat.
import { statSync, type BigIntStats } from 'node:fs';
import { epochMs } from '../util/clock.js';
import type { ProbeResult } from './types.js';

// Timestamps tick coarsely (one kernel jiffy, up to 10 ms): a file written in the same tick as the
// last read could keep its stat. Results are reused only for files last written longer ago than this.
const RACY_MS = 25;

/**
 * Wraps an expensive check of a file (read and parse, hash) so that it runs again only when the
 * file's identity, size or times changed, and always when the file was modified very recently.
 */
export function createStatCachedCheck(path: string, check: () => Promise<ProbeResult>): () => Promise<ProbeResult> {
  let cached: { key: string; result: ProbeResult } | undefined;
  return async () => {
    const stat = statQuietly(path);
    if (!stat) {
      cached = undefined;
      return check();
    }
    const key = `${stat.dev}:${stat.ino}:${stat.size}:${stat.mtimeNs}:${stat.ctimeNs}`;
    if (cached?.key === key) return cached.result;
    const settled = epochMs() - Number(stat.mtimeNs / 1_000_000n) > RACY_MS;
    const result = await check();
    cached = settled ? { key, result } : undefined;
    return result;
  };
}

/** stat with nanosecond times, or undefined when the path does not exist or cannot be read. */
export function statQuietly(path: string): BigIntStats | undefined {
  try {
    return statSync(path, { bigint: true });
  } catch {
    return undefined;
  }
}
