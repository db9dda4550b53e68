// A real PostgreSQL and a real Redis for tests of the data-side probes, canaries and faults: each in
// its own temp dir, on a free loopback port, run as the unprivileged `nobody` when the tests run as
// root. Stopped and removed by stop(); nothing is left behind.
import { spawn, type ChildProcess } from 'node:child_process';
import { chownSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { createExternalTarget } from '../../src/targets/external.js';
import type { ServiceEndpoint, Target } from '../../src/targets/types.js';

const PG_BIN = '/usr/lib/postgresql/15/bin';
const NOBODY = { uid: 65534, gid: 65534 };
const asNobody = process.getuid?.() === 0 ? NOBODY : undefined;

/** A running database or cache; stop() kills it (only the process this helper started) and removes its dir. */
export interface TestInstance {
  dir: string;
  endpoint: ServiceEndpoint;
  /** The server's pid (a process this helper started). */
  pid: number;
  stop(): Promise<void>;
}

/** A target around `dir` that offers `services` (the external driver's core plus the capability). */
export function createServiceTarget(dir: string, services: ServiceEndpoint[]): Target {
  const base = createExternalTarget({ name: 'dbfaults-test', home: dir, roots: [dir] }, join(dir, 'target.yaml'));
  return { ...base, capabilities: [...base.capabilities, 'services'], services, describe: () => ({ ...base.describe(), services: services.map((service) => service.name) }) };
}

/** A free loopback port (bound, then released). */
export async function getFreePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function makeDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `fl-dbfaults-${prefix}-${process.pid}-`));
  if (asNobody) chownSync(dir, asNobody.uid, asNobody.gid);
  return dir;
}

async function waitExit(child: ChildProcess, timeoutMs: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return true;
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

async function stopChild(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill(signal);
  if (!(await waitExit(child, 10_000))) {
    child.kill('SIGKILL');
    await waitExit(child, 5_000);
  }
}

/** Starts PostgreSQL 15 (trust auth on loopback, user `faultline`, database `app`). */
export async function startPostgres(options: { maxConnections?: number } = {}): Promise<TestInstance & { sql(query: string): Promise<string> }> {
  const dir = makeDir('pg');
  const data = join(dir, 'data');
  const port = await getFreePort();
  await execa(join(PG_BIN, 'initdb'), ['-D', data, '-U', 'faultline', '--auth=trust', '-E', 'UTF8', '--no-sync'], { ...asNobody, stdin: 'ignore' });
  const child = spawn(join(PG_BIN, 'postgres'), [
    '-D', data, '-p', String(port), '-k', dir, '-c', 'listen_addresses=127.0.0.1',
    '-c', `max_connections=${options.maxConnections ?? 20}`, '-c', 'superuser_reserved_connections=3', '-c', 'fsync=off',
  ], { ...asNobody, stdio: 'ignore', cwd: dir });
  child.on('error', () => undefined);
  const psql = (query: string, database = 'app') =>
    execa(join(PG_BIN, 'psql'), ['-h', '127.0.0.1', '-p', String(port), '-U', 'faultline', '-d', database, '-XAtqc', query], { stdin: 'ignore', timeout: 10_000 }).then((result) => String(result.stdout));
  const stop = async () => {
    await stopChild(child, 'SIGINT');
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const deadline = performance.now() + 20_000;
    for (;;) {
      const ready = await execa(join(PG_BIN, 'pg_isready'), ['-h', '127.0.0.1', '-p', String(port), '-q'], { reject: false, stdin: 'ignore' });
      if (ready.exitCode === 0) break;
      if (child.exitCode !== null || performance.now() > deadline) throw new Error(`postgres on port ${port} did not start`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await psql('CREATE DATABASE app', 'postgres');
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    dir,
    endpoint: { name: 'postgres', kind: 'postgres', host: '127.0.0.1', port, database: 'app', user: 'faultline', socketDir: dir },
    pid: child.pid!,
    stop,
    sql: psql,
  };
}

/** Starts redis-server: AOF on (appendfsync always) unless `aof: false`, no RDB snapshots; restart() keeps port and dir. */
export async function startRedis(options: { aof?: boolean } = {}): Promise<TestInstance & { restart(): Promise<void> }> {
  const dir = makeDir('redis');
  const port = await getFreePort();
  let child: ChildProcess;
  const launch = async () => {
    child = spawn('redis-server', [
      '--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', options.aof === false ? 'no' : 'yes', '--appendfsync', 'always',
      '--save', '', '--daemonize', 'no', '--protected-mode', 'yes', '--logfile', join(dir, 'redis.log'),
    ], { ...asNobody, stdio: 'ignore', cwd: dir });
    child.on('error', () => undefined);
    const deadline = performance.now() + 10_000;
    for (;;) {
      const ping = await execa('redis-cli', ['-h', '127.0.0.1', '-p', String(port), 'PING'], { reject: false, stdin: 'ignore' });
      if (String(ping.stdout).trim() === 'PONG') return;
      if (child.exitCode !== null || performance.now() > deadline) throw new Error(`redis on port ${port} did not start`);
      await new Promise((resolve) => setTimeout(resolve, 30));
    }
  };
  const instance = {
    dir,
    endpoint: { name: 'redis', kind: 'redis' as const, host: '127.0.0.1', port },
    get pid() {
      return child.pid!;
    },
    async restart() {
      await stopChild(child, 'SIGKILL');
      await launch();
    },
    async stop() {
      await stopChild(child, 'SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    },
  };
  try {
    await launch();
  } catch (error) {
    await instance.stop();
    throw error;
  }
  return instance;
}
