// getMountsUnder, which both the reference and the web-stack stop use before removing a dir (rm -r
// must never descend into a mounted filesystem): it must find a mount under a path with a space (which
// /proc/self/mountinfo writes as \040) and list nested mounts innermost first. Root only (real tmpfs).
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { afterEach, describe, expect, test } from 'vitest';
import { getMountsUnder, isMounted, unmountDataArea } from '../../../src/targets/reference/mount.js';

describe.skipIf(process.getuid?.() !== 0)('getMountsUnder', () => {
  let root: string | undefined;
  afterEach(async () => {
    if (!root) return;
    for (const mountPoint of getMountsUnder(root)) await unmountDataArea(mountPoint);
    expect(getMountsUnder(root)).toEqual([]);
    rmSync(root, { recursive: true, force: true });
    root = undefined;
  });

  test('a tmpfs under a dir whose path has a space, and one nested in it: both found, decoded, innermost first', async () => {
    root = mkdtempSync(join(tmpdir(), `fl-dedupe mounts ${process.pid}-`));
    const outer = join(root, 'data area');
    mkdirSync(outer);
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', outer]);
    const inner = join(outer, 'nested dir');
    mkdirSync(inner);
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', inner]);
    expect(isMounted(inner)).toBe(true);
    expect(getMountsUnder(root)).toEqual([inner, outer]);
    expect(getMountsUnder(join(root, 'data'))).toEqual([]); // a prefix that is not a path component is not "under"
  });
});
