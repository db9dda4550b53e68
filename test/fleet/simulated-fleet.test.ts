// A fleet over three namespace-hosts running Debian's sshd, reached through the system ssh with the
// fleet's own ssh_config: `count: 2` touches exactly two hosts (the journal and --dry-run agree), remote
// runs carry their clock offset, and a controller killed mid-fault leaves hosts its agents roll back
// by themselves — which `faultline recover` then confirms. Nothing is left behind.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { getControlDir } from '../../src/fleet/ssh-command.js';
import { startSimulatedFleet, stopSimulatedFleet, type SimulatedFleet } from '../../src/fleet/simulated-fleet.js';
import { listNamespaces } from '../../src/net/namespace.js';
import { getPackagePath } from '../../src/util/package-root.js';
import { createTestPrefix, expectHostNetworkUnchanged, snapshotHostNetwork, type HostNetworkState } from '../helpers/host-network-state.js';

const cli = getPackagePath('bin', 'faultline.js');
const prefix = createTestPrefix('fleet');
let before: HostNetworkState;
let fleet: SimulatedFleet;
let work: string;
let stateDir: string;

// Live processes whose command line mentions `text` (sshd rewrites its argv into one string, so a substring).
function listProcessesMentioning(text: string): number[] {
  return readdirSync('/proc').filter((name) => /^\d+$/.test(name)).map(Number).filter((pid) => {
    try {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      return !/^State:\s+Z/m.test(status) && readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(text);
    } catch {
      return false;
    }
  });
}

function writeScenario(name: string, fields: { id: string; timeoutMs: number; deadmanMs?: number; hosts?: string; extra?: string[]; recovered?: boolean }): string {
  const file = join(work, name);
  writeFileSync(file, [
    `id: ${fields.id}`,
    'title: The service config deleted on two hosts of three',
    `hosts: { inventory: ${fleet.inventory}, group: fleet, ${fields.hosts ?? 'count: 2, pick: random, seed: 11'}${fields.deadmanMs ? `, deadmanMs: ${fields.deadmanMs}` : ''} }`,
    ...(fields.extra ?? []),
    'steadyState:',
    '  - probe: file.exists',
    '    path: data/service.conf',
    'fault:',
    '  type: config.delete',
    '  path: data/service.conf',
    `expect: { recovered: ${fields.recovered ?? false} }`,
    `timeoutMs: ${fields.timeoutMs}`,
    'stabilizeMs: 200',
    '',
  ].join('\n'));
  return file;
}

const env = () => ({ ...process.env, FAULTLINE_STATE_DIR: stateDir, NO_COLOR: '1' });
const faultline = (args: string[]) => execa(process.execPath, [cli, ...args], { cwd: work, env: env(), reject: false, timeout: 240_000 });
const conf = (host: string) => join(fleet.dir, 'hosts', host, 'data', 'service.conf');

function readJournal(reportsDir: string): Record<string, unknown>[] {
  const runs = existsSync(reportsDir) ? readdirSync(reportsDir).filter((name) => /^\d{8}-/.test(name)) : [];
  if (runs.length !== 1) return [];
  const file = join(reportsDir, runs[0]!, 'journal.jsonl');
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8').split('\n').filter(Boolean).flatMap((line) => {
    try {
      return [JSON.parse(line) as Record<string, unknown>];
    } catch {
      return []; // The last line of a killed writer may be half written.
    }
  });
}

// The hosts on which the merged journal shows the fault acting.
function hostsInjected(journal: Record<string, unknown>[]): string[] {
  return journal.filter((event) => event.type === 'host.event' && (event.event as { type?: string }).type === 'fault.inject').map((event) => String(event.host)).sort();
}

async function waitFor(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!check()) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

beforeAll(async () => {
  before = await snapshotHostNetwork(prefix);
  work = mkdtempSync(join(tmpdir(), 'fl-fleet-work-'));
  stateDir = join(work, '.faultline');
  fleet = await startSimulatedFleet({ count: 3, prefix });
}, 120_000);

afterAll(async () => {
  if (fleet) await stopSimulatedFleet(fleet.dir, { controlStateDirs: [stateDir] });
  const controlDir = getControlDir(stateDir);
  rmSync(controlDir, { recursive: true, force: true });
  expect(await listNamespaces(prefix)).toEqual([]);
  // No sshd, agent or shared ssh connection of this fleet survives it, and its keys are gone with its dir.
  await waitFor(() => listProcessesMentioning(fleet.dir).length === 0 && listProcessesMentioning(controlDir).length === 0, 20_000, 'the fleet’s processes to end');
  expect(existsSync(fleet.dir)).toBe(false);
  await expectHostNetworkUnchanged(before, prefix);
  rmSync(work, { recursive: true, force: true });
}, 120_000);

describe('a simulated fleet of three namespace-hosts', () => {
  test('each host runs sshd in its own namespace on its own address, with its own target', () => {
    expect(fleet.hosts.map((host) => host.name)).toEqual(['h1', 'h2', 'h3']);
    expect(new Set(fleet.hosts.map((host) => host.address)).size).toBe(3);
    for (const host of fleet.hosts) expect(listProcessesMentioning(host.sshdConfig).length).toBeGreaterThan(0);
    // The client side never reads ~/.ssh: the fleet's own config, key and known_hosts.
    const config = readFileSync(join(fleet.dir, 'ssh', 'ssh_config'), 'utf8');
    expect(config).toContain(`UserKnownHostsFile ${join(fleet.dir, 'ssh', 'known_hosts')}`);
    expect(config).toContain('IdentitiesOnly yes');
  });

  test('count: 2 touches exactly two hosts; --dry-run names the same two; each remote run states its clock offset', async () => {
    const file = writeScenario('two.yaml', { id: 'fleet-two-of-three', timeoutMs: 1_500 });
    const dry = await faultline(['run', file, '--dry-run', '--json']);
    expect(dry.exitCode, dry.stderr).toBe(0);
    const plan = JSON.parse(dry.stdout) as { scenarios: { fleet: { hosts: { name: string; touches: string[]; problem?: string }[] } }[] };
    const planned = plan.scenarios[0]!.fleet.hosts.map((host) => host.name).sort();
    expect(planned).toHaveLength(2);
    for (const host of plan.scenarios[0]!.fleet.hosts) {
      expect(host.problem).toBeUndefined();
      expect(host.touches.join('\n')).toContain(conf(host.name));
    }

    const reports = join(work, 'reports-two');
    const run = await faultline(['run', file, '--reports', reports, '--json', '--quiet']);
    expect(run.exitCode, run.stderr).toBe(0);
    const journal = readJournal(reports);
    expect(hostsInjected(journal)).toEqual(planned);
    expect((journal.find((event) => event.type === 'host.select')!.hosts as string[]).slice().sort()).toEqual(planned);
    const untouched = fleet.hosts.map((host) => host.name).find((name) => !planned.includes(name))!;
    // The third host's agent was never even started: no run folder in its state directory.
    expect(existsSync(join(fleet.dir, 'hosts', untouched, 'state', 'agent', 'runs'))).toBe(false);
    for (const name of planned) expect(readdirSync(join(fleet.dir, 'hosts', name, 'state', 'agent', 'runs')).length).toBeGreaterThan(0);
    for (const host of fleet.hosts) expect(readFileSync(conf(host.name), 'utf8')).toContain(`host=${host.name}`);

    const summary = JSON.parse(run.stdout) as { scenarios: { runs: { host: string; clock: { offsetMs: number; uncertaintyMs: number }; resolutionMs: number; rollback: { ok: boolean } }[] }[] };
    const runs = summary.scenarios[0]!.runs;
    expect(runs.map((entry) => entry.host).sort()).toEqual(planned);
    for (const entry of runs) {
      expect(entry.rollback.ok).toBe(true);
      expect(Number.isFinite(entry.clock.offsetMs)).toBe(true);
      expect(entry.clock.uncertaintyMs).toBeGreaterThan(0);
      expect(entry.resolutionMs).toBeGreaterThanOrEqual(entry.clock.uncertaintyMs);
    }
    // Every host's connection: a version-checked agent, a measured offset.
    const connects = journal.filter((event) => event.type === 'host.connect');
    expect(connects.map((event) => event.host).sort()).toEqual(planned);
    expect(readdirSync(join(stateDir, 'fleet'))).toEqual([]);
  }, 300_000);

  test('serial: 1 with maxFailures: 0 — after the first host fails, the other batches are not attempted', async () => {
    // No healer on these hosts: a scenario that expects recovery fails on the first host it reaches.
    const file = writeScenario('serial.yaml', { id: 'fleet-serial-stop', timeoutMs: 1_000, hosts: 'pick: first', extra: ['serial: 1', 'maxFailures: 0'], recovered: true });
    const reports = join(work, 'reports-serial');
    const run = await faultline(['run', file, '--reports', reports, '--json', '--quiet', '--gate']);
    expect(run.exitCode, run.stderr).toBe(1);
    const journal = readJournal(reports);
    expect(hostsInjected(journal)).toEqual(['h1']);
    expect(journal.filter((event) => event.type === 'host.skip').map((event) => [event.host, event.batch])).toEqual([['h2', 2], ['h3', 3]]);
    const summary = JSON.parse(run.stdout) as { scenarios: { runs: { host: string; status: string; reason?: string }[] }[] };
    expect(summary.scenarios[0]!.runs.map((entry) => [entry.host, entry.status])).toEqual([['h1', 'completed'], ['h2', 'skipped'], ['h3', 'skipped']]);
    expect(summary.scenarios[0]!.runs[1]!.reason).toMatch(/1 hosts had failed \(maxFailures 0\)/);
    for (const host of fleet.hosts) expect(existsSync(conf(host.name))).toBe(true);
  }, 300_000);

  test('a connection lost mid-fault is recorded as such; that host’s agent rolls back and recover confirms it', async () => {
    const file = writeScenario('lost.yaml', { id: 'fleet-lost-connection', timeoutMs: 10_000, deadmanMs: 30_000 });
    const reports = join(work, 'reports-lost');
    const controller = faultline(['run', file, '--reports', reports, '--json', '--quiet']);
    await waitFor(() => hostsInjected(readJournal(reports)).length === 2, 180_000, 'the fault on two hosts');
    const [lostHost, keptHost] = hostsInjected(readJournal(reports)) as [string, string];
    // Cut that host's ssh connection from the host's side: the sshd process serving the agent's session.
    const agentPid = listProcessesMentioning(join(fleet.dir, 'hosts', lostHost, 'state')).find((pid) => readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').includes('--stdio'))!;
    const sessionPid = Number(/^PPid:\s+(\d+)/m.exec(readFileSync(`/proc/${agentPid}/status`, 'utf8'))![1]);
    expect(readFileSync(`/proc/${sessionPid}/cmdline`, 'utf8')).toMatch(/^sshd/);
    process.kill(sessionPid, 'SIGKILL');
    const run = await controller;
    const journal = readJournal(reports);
    const lost = journal.filter((event) => event.type === 'host.lost');
    expect(lost.map((event) => event.host)).toEqual([lostHost]);
    expect(String(lost[0]!.message)).toMatch(/lost mid-run .*rolls back by itself .*faultline recover/);
    const summary = JSON.parse(run.stdout) as { scenarios: { runs: { host: string; status: string; rollback: { ok: boolean } | null }[] }[] };
    const byHost = Object.fromEntries(summary.scenarios[0]!.runs.map((entry) => [entry.host, entry]));
    expect(byHost[lostHost]!.status).toBe('error');
    expect(byHost[keptHost]!.rollback?.ok).toBe(true);
    await waitFor(() => existsSync(conf(lostHost)), 60_000, `${lostHost} restored by its agent`);
    const recover = await faultline(['recover']);
    expect(recover.exitCode, recover.stdout).toBe(0);
    expect(recover.stdout).toMatch(new RegExp(`✓ host ${lostHost} \\(fleet-lost-connection\\): its agent rolled back on its own`));
    expect(recover.stdout).toContain(`✓ host ${lostHost} (fleet-lost-connection): clean`);
    expect(recover.stdout).not.toContain(keptHost);
  }, 300_000);

  for (const how of ['kill -9', 'SIGSTOP, then kill -9'] as const) {
    test(`${how} of the controller mid-fault: each agent rolls its host back by itself, and recover confirms every host clean`, async () => {
      const id = how === 'kill -9' ? 'fleet-killed-controller' : 'fleet-silent-controller';
      const file = writeScenario(`${id}.yaml`, { id, timeoutMs: 120_000, deadmanMs: 3_000 });
      const reports = join(work, `reports-${id}`);
      const controller: ChildProcess = spawn(process.execPath, [cli, 'run', file, '--reports', reports, '--quiet'], { cwd: work, env: env(), stdio: 'ignore' });
      const exited = new Promise((resolve) => controller.once('exit', resolve));
      try {
        await waitFor(() => hostsInjected(readJournal(reports)).length === 2, 180_000, 'the fault on two hosts');
        const touched = hostsInjected(readJournal(reports));
        for (const name of touched) expect(existsSync(conf(name))).toBe(false);
        expect(readdirSync(join(stateDir, 'fleet'))).toHaveLength(2);
        if (how === 'kill -9') {
          controller.kill('SIGKILL');
        } else {
          // A controller that hangs: the channel stays open and only the dead-man timer can notice.
          controller.kill('SIGSTOP');
          const stoppedAt = performance.now();
          await waitFor(() => touched.every((name) => existsSync(conf(name))), 60_000, 'the dead-man timers to restore both hosts');
          expect(performance.now() - stoppedAt).toBeGreaterThanOrEqual(2_000);
          controller.kill('SIGKILL');
        }
        await exited;
        await waitFor(() => touched.every((name) => existsSync(conf(name))), 60_000, 'both hosts restored');
        for (const name of touched) expect(readFileSync(conf(name), 'utf8')).toContain(`host=${name}`);

        const recover = await faultline(['recover']);
        expect(recover.exitCode, recover.stdout + recover.stderr).toBe(0);
        for (const name of touched) {
          expect(recover.stdout).toMatch(new RegExp(`✓ host ${name} \\(${id}\\): its agent rolled back on its own at .*${how === 'kill -9' ? 'the controller closed the channel' : 'dead-man timer'}.*rollback verified`));
          expect(recover.stdout).toContain(`✓ host ${name} (${id}): clean — its ledger holds no open intent`);
        }
        expect(readdirSync(join(stateDir, 'fleet'))).toEqual([]);
        // A second recover has nothing left to do.
        expect((await faultline(['recover'])).stdout).toContain('nothing to recover');
      } finally {
        if (controller.exitCode === null && controller.signalCode === null) controller.kill('SIGKILL');
        await exited;
      }
    }, 420_000);
  }
});
