// agent/: `faultline agent --stdio` over a local pipe (no ssh): the version check at connect, the clock
// offset, and the dead-man timer — a controller that goes silent mid-fault, or closes the channel, has
// the agent roll its host back by itself, recorded for `faultline recover`.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { AgentConnection } from '../../src/fleet/agent-connection.js';
import { getPackagePath, getVersion } from '../../src/util/package-root.js';

const cli = getPackagePath('bin', 'faultline.js');
const dirs: string[] = [];
const children: ChildProcessWithoutNullStreams[] = [];

afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

// A host of one: a target file whose root holds one config file.
function createHost(): { dir: string; target: string; conf: string; state: string } {
  const dir = mkdtempSync(join(tmpdir(), 'fl-fleet-agent-'));
  dirs.push(dir);
  mkdirSync(join(dir, 'data'));
  const conf = join(dir, 'data', 'service.conf');
  writeFileSync(conf, 'port=8080\n');
  const target = join(dir, 'target.yaml');
  writeFileSync(target, `name: solo\nhome: ${dir}\nroots:\n  - ${join(dir, 'data')}\n`);
  return { dir, target, conf, state: join(dir, 'state') };
}

function scenarioFor(target: string): Record<string, unknown> {
  return {
    id: 'agent-config-deleted', title: 'config deleted', tags: [], target, expect: { recovered: false },
    steadyState: [{ probe: 'file.exists', path: 'data/service.conf' }],
    fault: { type: 'config.delete', path: 'data/service.conf' },
    runs: 1, timeoutMs: 120_000, stabilizeMs: 200, steadyStateWaitMs: 5_000, sampleIntervalMs: 50,
  };
}

// The agent as a controller's child, spoken to by hand so the test decides when the controller goes quiet.
function startAgent(state: string): { child: ChildProcessWithoutNullStreams; lines: Record<string, unknown>[]; send: (message: object) => void; exited: Promise<number | null> } {
  const child = spawn(process.execPath, [cli, 'agent', '--stdio', '--state-dir', state], { stdio: ['pipe', 'pipe', 'pipe'] });
  children.push(child);
  const lines: Record<string, unknown>[] = [];
  let pending = '';
  child.stdout.on('data', (chunk: Buffer) => {
    pending += chunk.toString();
    const parts = pending.split('\n');
    pending = parts.pop()!;
    for (const part of parts) if (part.trim()) lines.push(JSON.parse(part) as Record<string, unknown>);
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, lines, send: (message) => child.stdin.write(`${JSON.stringify(message)}\n`), exited };
}

async function waitFor(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!check()) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

const injected = (lines: Record<string, unknown>[]) => lines.some((line) => line.event === 'journal' && (line.data as { type?: string }).type === 'fault.inject');

describe('faultline agent --stdio', () => {
  test('connect checks the version and measures a clock offset; status and bye answer', async () => {
    const host = createHost();
    const connection = await AgentConnection.connect([process.execPath, cli, 'agent', '--stdio', '--state-dir', host.state], { deadmanMs: 5_000, connectTimeoutMs: 60_000, label: 'local' });
    expect(connection.hello).toMatchObject({ version: getVersion(), protocol: 1, stateDir: host.state, deadmanMs: 5_000 });
    // One clock, one machine: the offset is within its own uncertainty (plus a little for scheduling).
    expect(Math.abs(connection.clock.offsetMs)).toBeLessThanOrEqual(connection.clock.uncertaintyMs + 5);
    expect(await connection.request('status', {}, 10_000)).toEqual({ openIntents: [], deadman: [] });
    const probe = (await connection.request('probe', { target: host.target, spec: { probe: 'file.exists', path: 'data/service.conf' } }, 30_000)) as { ok: boolean };
    expect(probe.ok).toBe(true);
    await connection.close();
  }, 90_000);

  test('an agent of another faultline version is refused at connect, naming both versions', async () => {
    const fake = `process.stdin.on('data', (d) => { const r = JSON.parse(String(d).split('\\n')[0]); process.stdout.write(JSON.stringify({ id: r.id, ok: true, result: { version: '0.0.1', protocol: 1, pid: process.pid, host: 'x', stateDir: '/x', deadmanMs: 1000 } }) + '\\n'); });`;
    await expect(AgentConnection.connect([process.execPath, '-e', fake], { deadmanMs: 1_000, connectTimeoutMs: 30_000, label: 'host old' })).rejects.toThrow(new RegExp(`host old: its agent is faultline 0\\.0\\.1, this controller ${getVersion().replace(/\./g, '\\.')}`));
  }, 60_000);

  test('a controller that goes silent mid-fault: the dead-man timer rolls the host back and the agent records it', async () => {
    const host = createHost();
    const original = readFileSync(host.conf);
    const agent = startAgent(host.state);
    agent.send({ id: 1, op: 'hello', version: getVersion(), protocol: 1, deadmanMs: 1_500 });
    agent.send({ id: 2, op: 'run', scenario: scenarioFor(host.target) });
    // Keep the timer wound until the fault is in effect; then say nothing more (the channel stays open).
    const keepAlive = setInterval(() => agent.send({ id: 0, op: 'ping' }), 300);
    try {
      await waitFor(() => injected(agent.lines), 60_000, `the fault to be injected (agent said: ${JSON.stringify(agent.lines.filter((line) => line.id !== 0)).slice(0, 2000)})`);
    } finally {
      clearInterval(keepAlive);
    }
    const silentFrom = performance.now();
    expect(existsSync(host.conf)).toBe(false);
    const code = await agent.exited;
    expect(performance.now() - silentFrom).toBeGreaterThanOrEqual(1_000);
    expect(code).toBe(3);
    expect(readFileSync(host.conf)).toEqual(original);
    const records = readFileSync(join(host.state, 'agent', 'deadman.jsonl'), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { reason: string; failed: number; lines: string[] });
    expect(records).toHaveLength(1);
    expect(records[0]!.reason).toMatch(/sent nothing for 1500 ms \(dead-man timer\)/);
    expect(records[0]!.failed).toBe(0);
    expect(records[0]!.lines.join('\n')).toMatch(/rollback verified/);
    expect(readdirSync(join(host.state, 'ledger')).filter((name) => name.endsWith('.json'))).toEqual([]);
  }, 120_000);

  test('a controller that closes the channel mid-fault: the agent rolls back at once', async () => {
    const host = createHost();
    const agent = startAgent(host.state);
    agent.send({ id: 1, op: 'hello', version: getVersion(), protocol: 1, deadmanMs: 60_000 });
    agent.send({ id: 2, op: 'run', scenario: scenarioFor(host.target) });
    await waitFor(() => injected(agent.lines), 60_000, 'the fault to be injected');
    expect(existsSync(host.conf)).toBe(false);
    const closedAt = performance.now();
    agent.child.stdin.end();
    expect(await agent.exited).toBe(3);
    // Long before the 60 s dead-man interval: the closed channel is enough.
    expect(performance.now() - closedAt).toBeLessThan(30_000);
    expect(readFileSync(host.conf, 'utf8')).toBe('port=8080\n');
    expect(readFileSync(join(host.state, 'agent', 'deadman.jsonl'), 'utf8')).toMatch(/the controller closed the channel/);
  }, 120_000);

  test('an agent told to stop (SIGTERM) mid-fault rolls back before it exits', async () => {
    const host = createHost();
    const agent = startAgent(host.state);
    agent.send({ id: 1, op: 'hello', version: getVersion(), protocol: 1, deadmanMs: 60_000 });
    agent.send({ id: 2, op: 'run', scenario: scenarioFor(host.target) });
    await waitFor(() => injected(agent.lines), 60_000, 'the fault to be injected');
    expect(existsSync(host.conf)).toBe(false);
    agent.child.kill('SIGTERM');
    expect(await agent.exited).toBe(3);
    expect(readFileSync(host.conf, 'utf8')).toBe('port=8080\n');
    expect(readFileSync(join(host.state, 'agent', 'deadman.jsonl'), 'utf8')).toMatch(/told to stop \(SIGTERM\)/);
  }, 120_000);
});
