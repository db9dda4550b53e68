// `faultline target up|status|down` through its handlers (the yargs wiring only forwards to them).
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { getReferenceStatus } from '../../src/targets/reference/index.js';
import { InputError, TargetError } from '../../src/errors.js';
import { RECORD_FILE, RECORDS_FILE, runTargetDown, runTargetDownAll, runTargetStatus, runTargetUp, targetCommand } from '../../src/cli/commands/target.js';
import { stopReference } from '../../src/targets/reference/index.js';
import { isAnythingMountedUnder } from './reference/helpers.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function makeCwd(): string {
  const cwd = mkdtempSync(join(tmpdir(), 'faultline-cwd-'));
  cleanups.push(async () => rmSync(cwd, { recursive: true, force: true }));
  return cwd;
}

test('up records the instance, status describes it, down stops it and forgets it', async () => {
  const cwd = makeCwd();
  const up = JSON.parse(await runTargetUp({ heal: 'off', projects: 'a,b', json: true }, cwd));
  cleanups.push(async () => void (await stopReference(up.dir)));
  expect(up).toMatchObject({ healthy: true, projects: ['a', 'b'], heal: { enabled: false } });
  expect(up.stop).toBe(`faultline target down --dir ${up.dir}`);
  expect(readFileSync(join(cwd, RECORD_FILE), 'utf8').trim()).toBe(up.dir);

  const status = await runTargetStatus({ json: false }, cwd);
  expect(status).toContain(`reference orchestrator in ${up.dir}: running, healthy`);
  expect(status).toMatch(/session {2}a: 0:Claude-Agent\(node\) 1:Shell\(bash\) 2:Dev-Server\(node\)/);
  expect(status).toContain('healer   off');

  expect(await runTargetDown({ json: false }, cwd)).toMatch(/stopped in \d+ ms/);
  expect(existsSync(up.dir)).toBe(false);
  expect(isAnythingMountedUnder(up.dir)).toBe(false);
  expect(existsSync(join(cwd, RECORD_FILE))).toBe(false);
});

test('up prints the dir, the socket and how to stop it', async () => {
  const cwd = makeCwd();
  const text = await runTargetUp({ heal: 'on', json: false }, cwd);
  const dir = readFileSync(join(cwd, RECORD_FILE), 'utf8').trim();
  cleanups.push(async () => void (await stopReference(dir)));
  expect(text).toContain(`dir      ${dir}`);
  expect(text).toContain(`socket   ${dir}/tmux.sock`);
  expect(text).toContain(`stop it with: faultline target down --dir ${dir}`);
});

test('down and status without an instance fail with a hint', async () => {
  const cwd = makeCwd();
  await expect(runTargetDown({ json: false }, cwd)).rejects.toBeInstanceOf(InputError);
  const missing = join(cwd, 'nothing-here');
  const error = await runTargetStatus({ dir: missing, json: false }, cwd).catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(TargetError);
  expect((error as TargetError).message).toBe(`no reference target at ${missing}`);
  expect((error as TargetError).hint).toContain('faultline target up');
});

test('up twice refuses (exit 2, naming the running one); each instance is tracked and down --all stops every one', async () => {
  const cwd = makeCwd();
  const first = JSON.parse(await runTargetUp({ heal: 'off', json: true }, cwd)) as { dir: string };
  cleanups.push(async () => void (await stopReference(first.dir)));
  const refused = await runTargetUp({ heal: 'off', json: true }, cwd).catch((caught: unknown) => caught);
  expect(refused).toBeInstanceOf(InputError);
  expect((refused as InputError).exitCode).toBe(2);
  expect((refused as InputError).message).toContain(first.dir);
  expect(readFileSync(join(cwd, RECORD_FILE), 'utf8').trim()).toBe(first.dir);

  // A second one in a folder of its own is allowed, and the first is not forgotten.
  const secondDir = join(cwd, 'second');
  const second = JSON.parse(await runTargetUp({ heal: 'off', json: true, dir: secondDir }, cwd)) as { dir: string };
  cleanups.push(async () => void (await stopReference(second.dir)));
  expect(readFileSync(join(cwd, RECORDS_FILE), 'utf8').trim().split('\n')).toEqual([first.dir, second.dir]);

  const all = JSON.parse(await runTargetDownAll({ json: true }, cwd)) as { stopped: string[] };
  expect(all.stopped).toEqual([first.dir, second.dir]);
  expect((await getReferenceStatus(first.dir)).running).toBe(false);
  expect((await getReferenceStatus(second.dir)).running).toBe(false);
  expect(existsSync(join(cwd, RECORD_FILE))).toBe(false);
  expect(existsSync(join(cwd, RECORDS_FILE))).toBe(false);
  expect(await runTargetDownAll({ json: false }, cwd)).toMatch(/no reference target .* is recorded/);
}, 60_000);

test('up after the recorded instance has stopped starts a new one', async () => {
  const cwd = makeCwd();
  const first = JSON.parse(await runTargetUp({ heal: 'off', json: true }, cwd)) as { dir: string };
  cleanups.push(async () => void (await stopReference(first.dir)));
  await stopReference(first.dir); // stopped behind the record's back
  const second = JSON.parse(await runTargetUp({ heal: 'off', json: true }, cwd)) as { dir: string };
  cleanups.push(async () => void (await stopReference(second.dir)));
  expect(second.dir).not.toBe(first.dir);
  expect(await runTargetDownAll({ json: true }, cwd)).toBe(`${JSON.stringify({ stopped: [second.dir] })}\n`);
}, 60_000);

test('the command module names its subcommands', () => {
  expect(targetCommand.command).toBe('target <command>');
});
