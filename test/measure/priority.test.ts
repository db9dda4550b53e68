import { getPriority } from 'node:os';
import { describe, expect, test } from 'vitest';
import { spawnHog } from '../../src/faults/hogs.js';
import { raiseOwnPriority } from '../../src/util/priority.js';

describe('raiseOwnPriority (root only)', () => {
  test.runIf(process.getuid?.() === 0)('raises the measuring thread and its helpers, puts them back, and leaves a fault’s hogs at normal priority', () => {
    const before = getPriority();
    const helper = spawnHog('sleep', ['5'], 'priority-test', undefined);
    const restore = raiseOwnPriority(() => [helper.pid]);
    let hog: number | undefined;
    try {
      expect(getPriority()).toBe(-10);
      expect(getPriority(helper.pid)).toBe(-10);
      hog = spawnHog('sleep', ['5'], 'priority-test', undefined).pid;
      expect(getPriority(hog)).toBe(before);
    } finally {
      restore();
      for (const pid of [helper.pid, hog]) if (pid) process.kill(pid, 'SIGKILL');
    }
    expect(getPriority()).toBe(before);
  });
});
