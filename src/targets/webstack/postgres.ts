// PostgreSQL for the web stack: Debian's binaries, `initdb` into the instance's own tmpfs, a private
// config (loopback, its own port, a private unix-socket dir, a small max_connections) and the roles the
// API and faultline's probes log in with, created in single-user mode before the server ever listens.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { TargetError } from '../../errors.js';
import { appendToFile, unlinkEntry, withDirectory, writeFileReplacing } from '../../util/safe-fs.js';
import type { RunAs } from '../reference/run-as.js';
import type { WebstackPaths } from './paths.js';
import type { WebstackState } from './state.js';

const BIN_ROOT = '/usr/lib/postgresql';
const PREFERRED_VERSION = '15';

/** The directory of PostgreSQL's server binaries (15 preferred, else the newest installed). */
export function findPostgresBinDir(): string {
  const preferred = join(BIN_ROOT, PREFERRED_VERSION, 'bin');
  if (existsSync(join(preferred, 'postgres'))) return preferred;
  let versions: string[] = [];
  try {
    versions = readdirSync(BIN_ROOT).filter((name) => existsSync(join(BIN_ROOT, name, 'bin', 'postgres'))).sort((a, b) => Number(b) - Number(a));
  } catch {
    // None installed.
  }
  if (versions.length === 0) throw new TargetError(`PostgreSQL's server binaries are not installed (no ${BIN_ROOT}/<version>/bin/postgres)`, { hint: 'install them: apt-get install postgresql' });
  return join(BIN_ROOT, versions[0]!, 'bin');
}

/** Runs a PostgreSQL tool as the stack's uid; throws TargetError with its output when it fails. */
function runPgTool(file: string, args: string[], options: { runAs: { uid: number; gid: number }; cwd: string; input?: string; env: Record<string, string> }): string {
  const identity = options.runAs.uid === process.getuid?.() ? {} : { uid: options.runAs.uid, gid: options.runAs.gid };
  const result = spawnSync(file, args, { cwd: options.cwd, env: options.env, input: options.input ?? '', encoding: 'utf8', timeout: 60_000, ...identity });
  if (result.status !== 0) {
    const output = `${result.stdout ?? ''}${result.stderr ?? ''}`.trim().split('\n').slice(-8).join('\n');
    throw new TargetError(`${file} ${args.join(' ')} failed (${result.error?.message ?? `exit ${result.status ?? result.signal}`}): ${output}`);
  }
  return `${result.stdout ?? ''}${result.stderr ?? ''}`;
}

/**
 * The account initdb and single-user mode run as. Both look their user up in /etc/passwd (the server does
 * not), and the stack's dedicated uid has no entry there: as root they run as Debian's `postgres` account,
 * on the tmpfs given to it for that, and the tree is then handed to the stack's uid.
 */
export function getBootstrapIdentity(runAs: RunAs): { uid: number; gid: number } {
  if (runAs.uid === process.getuid?.()) return runAs;
  let line: string | undefined;
  try {
    line = readFileSync('/etc/passwd', 'utf8').split('\n').find((entry) => entry.startsWith('postgres:'));
  } catch {
    line = undefined;
  }
  const [, , uid, gid] = line?.split(':') ?? [];
  if (uid === undefined || gid === undefined || Number(uid) === 0) {
    throw new TargetError("no 'postgres' account in /etc/passwd to run initdb as (initdb needs a user with a passwd entry)", { hint: 'install PostgreSQL from the distribution (apt-get install postgresql), which creates it' });
  }
  return { uid: Number(uid), gid: Number(gid) };
}

/**
 * initdb, the private config, then the app's database and roles (single-user mode: nothing listens yet).
 * `paths.pgArea` must belong to `bootstrap` (see getBootstrapIdentity); the caller hands it to the stack's uid after.
 */
export function initPostgres(paths: WebstackPaths, state: WebstackState, bootstrap: { uid: number; gid: number }): void {
  const runAs = { ...bootstrap, dedicated: false };
  const { binDir, admin, app, probe, database } = state.postgres;
  const pwfile = join(paths.pgArea, 'initdb.pw');
  writeFileReplacing(pwfile, `${admin.password}\n`, { mode: 0o600, owner: bootstrap });
  try {
    runPgTool(join(binDir, 'initdb'), ['-D', paths.pgData, '-U', admin.user, `--pwfile=${pwfile}`, '-A', 'scram-sha-256', '-E', 'UTF8', '--locale=C', '--no-sync', '--no-instructions'], { runAs, cwd: paths.pgArea, env: state.env });
  } finally {
    withDirectory(paths.pgArea, undefined, (dirFd) => unlinkEntry(dirFd, 'initdb.pw'));
  }
  const conf = [
    `listen_addresses = '127.0.0.1'`,
    `port = ${state.ports.postgres}`,
    `unix_socket_directories = '${paths.pgSocketDir}'`,
    `unix_socket_permissions = 0700`,
    `max_connections = ${state.options.pgMaxConnections}`,
    `superuser_reserved_connections = 3`,
    `shared_buffers = 16MB`,
    `dynamic_shared_memory_type = mmap`,
    `logging_collector = off`,
    `log_min_messages = warning`,
    `fsync = on`,
    `synchronous_commit = on`,
    `password_encryption = 'scram-sha-256'`,
  ];
  writeFileReplacing(join(paths.pgData, 'faultline.conf'), `# Written by faultline for the web stack\n${conf.join('\n')}\n`, { mode: 0o600, owner: bootstrap });
  appendToFile(join(paths.pgData, 'postgresql.conf'), `\ninclude 'faultline.conf'\n`);
  const sql = [
    `CREATE ROLE ${app.user} LOGIN PASSWORD '${app.password}'`,
    `CREATE ROLE ${probe.user} LOGIN PASSWORD '${probe.password}'`,
    `GRANT pg_read_all_data TO ${probe.user}`,
    `CREATE DATABASE ${database} OWNER ${app.user}`,
  ];
  runPgTool(join(binDir, 'postgres'), ['--single', '-D', paths.pgData, 'postgres'], { runAs, cwd: paths.pgArea, env: state.env, input: `${sql.join('\n')}\n` });
}

/** The command line the supervisor runs PostgreSQL with (its pid's argv names the instance's PGDATA). */
export function getPostgresCommand(paths: WebstackPaths, binDir: string): { command: string; args: string[] } {
  return { command: join(binDir, 'postgres'), args: ['-D', paths.pgData] };
}
