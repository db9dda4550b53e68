import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { completeEnvironment, describeEnvironmentAtStart } from '../../src/run/describe-environment.js';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

describe('the environment a run records', () => {
  test('every scenario file once with its sha256, one checksum over the sorted list, and no commit outside a repository', async () => {
    dir = mkdtempSync(join(tmpdir(), 'faultline-env-'));
    const [a, b] = [join(dir, 'b.yaml'), join(dir, 'a.yaml')];
    writeFileSync(a, 'id: b\n');
    writeFileSync(b, 'id: a\n');
    const env = await describeEnvironmentAtStart([a, b, a]);
    const files = [b, a].map((file) => ({ file: relative(process.cwd(), file), sha256: sha256(file === a ? 'id: b\n' : 'id: a\n') }));
    expect(env.scenarioFiles).toEqual(files);
    expect(env.scenariosSha256).toBe(sha256(files.map((entry) => `${entry.sha256}  ${entry.file}\n`).join('')));
    expect(env.scenariosCommit).toBeNull();
    expect(env.cpus).toBeGreaterThan(0);
    expect(env.loadAverage!.start).toHaveLength(3);
    expect(completeEnvironment(env).loadAverage!.end).toHaveLength(3);
  });

  test('inside a git repository the commit is recorded', async () => {
    const env = await describeEnvironmentAtStart([join(process.cwd(), 'scenarios/tmux-orchestrator/spof-003-config-deleted.yaml')]);
    expect(env.scenariosCommit?.commit).toMatch(/^[0-9a-f]{40}$/);
  });
});
