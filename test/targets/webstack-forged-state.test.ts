// The stack's uid owns its instance directory, so it can replace webstack.json. faultline, as root,
// points net faults' rules and redirects at the stack's service ports: a rewritten file must not move
// them (to sshd on 22, or another tenant's port). Ports come from faultline's own record instead.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { resolveEndpoint } from '../../src/net/endpoints.js';
import { describeWebstackTarget, getWebstackStatus, openWebstack } from '../../src/targets/webstack/index.js';
import { getWebstackRecordPath } from '../../src/targets/webstack/root-record.js';
import { startTestWebstack, type TestWebstack } from '../helpers/webstack.js';

let stack: TestWebstack | undefined;

beforeAll(async () => {
  stack = await startTestWebstack();
}, 120_000);

afterAll(async () => {
  await stack?.stop();
}, 60_000);

describe('a webstack.json the stack’s uid rewrote', () => {
  test('does not move the ports root acts on: net endpoints, probes’ credentials and status keep what faultline recorded', async () => {
    const { dir, uid } = stack!;
    expect(uid).not.toBe(0);
    const ports = { ...stack!.target.state.ports };
    const password = stack!.target.state.postgres.probe.password;
    const path = join(dir, 'webstack.json');
    const forged = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
    forged.ports = { api: 22, postgres: 22, redis: 22 };
    forged.postgres = { ...(forged.postgres as object), probe: { user: 'fl_probe', password: 'forged' } };
    // As the stack's own uid, as its code could: rename a new file over root's (the dir is the uid's).
    const script = `const fs=require('fs');fs.writeFileSync(${JSON.stringify(`${path}.new`)},process.argv[1]);fs.renameSync(${JSON.stringify(`${path}.new`)},${JSON.stringify(path)})`;
    execFileSync(process.execPath, ['-e', script, JSON.stringify(forged)], { uid, gid: uid });
    expect((JSON.parse(readFileSync(path, 'utf8')) as { ports: unknown }).ports).toEqual({ api: 22, postgres: 22, redis: 22 });

    for (const target of [openWebstack(dir), describeWebstackTarget(dir)]) {
      expect(Object.fromEntries(target.services.map((service) => [service.name, service.port]))).toEqual(ports);
      expect(target.services.find((service) => service.name === 'postgres')?.password).toBe(password);
      const postgres = await resolveEndpoint({ service: 'postgres' }, target, 'to');
      expect(postgres).toMatchObject({ host: '127.0.0.1', port: ports.postgres });
    }
    const status = await getWebstackStatus(dir);
    expect(status.ports).toEqual(ports);
    expect(status.healthy).toBe(true);
  });

  test('faultline’s record is root’s, outside the dir, and goes with the stack', async () => {
    const record = getWebstackRecordPath(stack!.dir);
    expect(record.startsWith(stack!.dir)).toBe(false);
    expect(existsSync(record)).toBe(true);
    const dir = stack!.dir;
    await stack!.stop();
    stack = undefined;
    expect(existsSync(record)).toBe(false);
    expect(() => openWebstack(dir)).toThrow(/no web stack/);
  }, 60_000);
});
