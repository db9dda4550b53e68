// secret.rotate on a KEY=VALUE env file with its restart hook: a small process the test starts, declared
// by pidfile, re-reads the file on SIGHUP and records what it saw, so the hook is checked end to end.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createExternalTarget } from '../../src/targets/external.js';
import type { Target } from '../../src/targets/types.js';
import { hashFile } from '../../src/util/hash.js';
import { disposeAll, prepareFault, waitFor } from './fault-steps.js';

const ENV = 'API_PORT=8080\nJWT_SECRET=0123456789abcdef0123456789abcdef\nOTHER=kept\n';
const APP = `const fs = require('node:fs');
process.on('SIGHUP', () => fs.appendFileSync('seen', (fs.readFileSync('app.env', 'utf8').split('\\n').filter((line) => line.startsWith('JWT_SECRET')).join(' ') || 'none') + '\\n'));
fs.writeFileSync('app.pid', String(process.pid));
setInterval(() => undefined, 1000);`;

let dir: string;
let app: ChildProcess;
let target: Target;

beforeAll(async () => {
  dir = realpathSync(mkdtempSync(join(tmpdir(), 'fl-dbfaults-secret-')));
  app = spawn(process.execPath, ['-e', APP], { cwd: dir, stdio: 'ignore' });
  await waitFor('the app to write its pidfile', () => { try { return readFileSync(join(dir, 'app.pid'), 'utf8') === String(app.pid); } catch { return false; } }, 5000);
  target = createExternalTarget({ name: 'secret-test', home: dir, roots: [dir], processes: [{ name: 'app', pidfile: 'app.pid' }] }, join(dir, 'target.yaml'));
});
afterAll(async () => {
  app?.kill('SIGKILL');
  await disposeAll();
  rmSync(dir, { recursive: true, force: true });
});

const seen = () => { try { return readFileSync(join(dir, 'seen'), 'utf8').trim().split('\n'); } catch { return []; } };

describe('secret.rotate', () => {
  test('rotate with a grace key: new value, old one kept, the app re-reads it; rollback restores the bytes and restarts again', async () => {
    writeFileSync(join(dir, 'app.env'), ENV);
    const before = await hashFile(join(dir, 'app.env'));
    const fault = await prepareFault(target, { type: 'secret.rotate', path: 'app.env', graceKey: 'JWT_SECRET_PREVIOUS', restart: { process: 'app' } });
    await fault.inject();
    expect(await fault.verify()).toBe(true);
    const text = readFileSync(join(dir, 'app.env'), 'utf8');
    expect(text).toMatch(/^JWT_SECRET=[0-9a-f]{64}\nJWT_SECRET_PREVIOUS=0123456789abcdef0123456789abcdef$/m);
    expect(text).toContain('OTHER=kept');
    await waitFor('the app to re-read its env file', () => seen().length === 1);
    expect(seen()[0]).toMatch(/^JWT_SECRET=[0-9a-f]{64} JWT_SECRET_PREVIOUS=0123456789abcdef/);

    const rolled = await fault.rollback();
    expect(rolled).toMatchObject({ ok: true, detail: expect.stringContaining(`SIGHUP sent to app (pid ${app.pid})`) });
    expect(await hashFile(join(dir, 'app.env'))).toBe(before);
    await waitFor('the app to re-read its env file again', () => seen().length === 2);
    expect(seen()[1]).toBe('JWT_SECRET=0123456789abcdef0123456789abcdef');
    expect(await fault.rollback()).toMatchObject({ ok: true });
  });

  test('remove deletes the key (the secret is missing); weak sets the hardcoded default', async () => {
    writeFileSync(join(dir, 'app.env'), ENV);
    const removed = await prepareFault(target, { type: 'secret.rotate', path: 'app.env', mode: 'remove' });
    await removed.inject();
    expect(await removed.verify()).toBe(true);
    expect(readFileSync(join(dir, 'app.env'), 'utf8')).toBe('API_PORT=8080\nOTHER=kept\n');
    expect(await removed.rollback()).toMatchObject({ ok: true });
    expect(readFileSync(join(dir, 'app.env'), 'utf8')).toBe(ENV);

    const weak = await prepareFault(target, { type: 'secret.rotate', path: 'app.env', mode: 'weak' });
    await weak.inject();
    expect(readFileSync(join(dir, 'app.env'), 'utf8')).toContain('JWT_SECRET=your-secret-key-change-in-production\n');
    expect(await weak.rollback()).toMatchObject({ ok: true });
  });

  test('refuses a key the file lacks, a grace key without rotation, a file outside the roots and a process the target does not declare', async () => {
    writeFileSync(join(dir, 'app.env'), ENV);
    await expect(prepareFault(target, { type: 'secret.rotate', path: 'app.env', key: 'SESSION_KEY' })).rejects.toThrow(/has no SESSION_KEY= line/);
    await expect(prepareFault(target, { type: 'secret.rotate', path: 'app.env', mode: 'remove', graceKey: 'OLD' })).rejects.toThrow(/only a rotation keeps the old value/);
    await expect(prepareFault(target, { type: 'secret.rotate', path: '/etc/environment' })).rejects.toThrow(/outside the target's roots/);
    const fault = await prepareFault(target, { type: 'secret.rotate', path: 'app.env', restart: { process: 'nginx' } });
    await expect(fault.inject()).rejects.toThrow(/nginx/);
    // The file was changed before the hook failed: rollback puts it back.
    expect(await fault.rollback()).toMatchObject({ ok: true });
    expect(readFileSync(join(dir, 'app.env'), 'utf8')).toBe(ENV);
  });
});
