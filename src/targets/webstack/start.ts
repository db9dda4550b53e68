// startWebstack: lays out an instance (PostgreSQL on its own tmpfs, Redis, the API's env file, the
// supervisor's programs), starts the supervisor as the stack's uid, and waits until /health passes.
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, lchownSync, mkdirSync, mkdtempSync, readdirSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { InputError, RollbackError, TargetError, getErrorMessage } from '../../errors.js';
import { epochMs } from '../../util/clock.js';
import { writeFileReplacing } from '../../util/safe-fs.js';
import { isMounted, mountDataArea, unmountDataArea } from '../reference/mount.js';
import { spawnDetached, writePidFile } from '../reference/processes.js';
import { checkAccess, chooseRunAs, chownTree, type RunAs } from '../reference/run-as.js';
import { renderEnvFile } from './api/config.js';
import { findFreePorts } from './free-ports.js';
import { resolveWebstackOptions, type WebstackOptions } from './options.js';
import { getPidFile, getWebstackPaths, listLayoutDirs, type WebstackPaths } from './paths.js';
import { findPostgresBinDir, getBootstrapIdentity, getPostgresCommand, initPostgres } from './postgres.js';
import type { ProgramsFile } from './programs.js';
import { findRedisServer, renderRedisConfig } from './redis.js';
import { getWebstackScripts } from './scripts.js';
import { writeWebstackRecord } from './root-record.js';
import { STATE_FORMAT, type WebstackState } from './state.js';
import { readLogTails, waitForHealth } from './start-wait.js';
import { stopWebstack } from './stop.js';
import { getWebstackStatus } from './status.js';
import { WebstackTarget } from './webstack-target.js';

const READY_TIMEOUT_MS = 60_000;
/** Prefix of the instance dirs faultline makes (and may remove). */
export const WEBSTACK_DIR_PREFIX = 'faultline-web-';
// Threads count against RLIMIT_NPROC: PostgreSQL's workers and backends, Redis's threads, three node programs.
const PROCESS_BUDGET = 1024;

/** A fresh instance dir under the OS temp dir, not created yet: record it first, then start into it with `ownsDir`. */
export function chooseWebstackDir(): string {
  return join(realpathSync(tmpdir()), `${WEBSTACK_DIR_PREFIX}${randomBytes(6).toString('hex')}`);
}

/** Starts a web stack and resolves once /health passes. Without `dir`, in a fresh temp dir that stop removes. */
export async function startWebstack(options: WebstackOptions = {}): Promise<WebstackTarget> {
  const resolved = resolveWebstackOptions(options);
  if (resolved.runAsUid === 0 && process.getuid?.() === 0) throw new InputError('runAsUid 0: PostgreSQL refuses to run as root', { hint: 'leave runAsUid out to get a dedicated uid' });
  const binDir = findPostgresBinDir();
  const redisServer = findRedisServer();
  const scripts = getWebstackScripts();
  const ownsDir = options.ownsDir ?? options.dir === undefined;
  const dir = await prepareDirectory(options.dir, ownsDir);
  const paths = getWebstackPaths(dir);
  const [api, postgres, redis] = await findFreePorts(3);
  const secret = () => randomBytes(24).toString('hex');
  const state: WebstackState = {
    format: STATE_FORMAT,
    dir,
    ownsDir,
    options: resolved,
    nodePath: process.execPath,
    ports: { api: api!, postgres: postgres!, redis: redis! },
    postgres: { database: 'app', admin: { user: 'fl_admin', password: secret() }, app: { user: 'fl_app', password: secret() }, probe: { user: 'fl_probe', password: secret() }, binDir },
    redis: { password: secret(), server: redisServer },
    jwtSecret: randomBytes(32).toString('hex'),
    env: { PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', HOME: dir, LANG: 'C.UTF-8', LC_ALL: 'C.UTF-8', TZ: 'UTC' },
    startedAt: epochMs(),
  };
  let runAs: RunAs | undefined;
  try {
    for (const path of listLayoutDirs(paths)) mkdirSync(path, { recursive: true });
    // First: from here on the dir is recognisably a stack's, so a stop after a crash cleans it up.
    writeState(paths, state);
    runAs = chooseRunAs(dir, { processBudget: PROCESS_BUDGET, memoryBudgetMiB: 1024 }, resolved.runAsUid);
    state.runAs = runAs;
    writeInstanceFiles(paths, state, scripts, runAs);
    if (runAs.uid !== process.getuid?.()) {
      chownTree(dir, runAs.uid, runAs.gid);
      // Searchable by others (not listable): initdb's account reaches the tmpfs through it.
      chmodSync(dir, 0o711);
      const problem = await checkAccess(runAs, { dir, nodePath: state.nodePath, script: scripts.api });
      if (problem !== undefined) throw new TargetError(`the web stack cannot run as uid ${runAs.uid}: ${problem}`, { hint: 'PostgreSQL refuses root: start it under a directory every user can search (chmod o+x on its parents)' });
    }
    const bootstrap = getBootstrapIdentity(runAs);
    const area = await mountDataArea(paths.pgArea, resolved.pgDataSizeMiB, bootstrap);
    if (area.kind !== 'tmpfs') lchownSync(paths.pgArea, bootstrap.uid, bootstrap.gid);
    state.data = { path: area.path, kind: area.kind, sizeBytes: area.sizeBytes };
    writeState(paths, state);
    initPostgres(paths, state, bootstrap);
    // initdb's account is done (its processes have exited): the data is the stack's from here on.
    if (bootstrap.uid !== runAs.uid) chownTree(paths.pgArea, runAs.uid, runAs.gid);
    const pid = spawnDetached(state.nodePath, scripts.supervisor, [dir], { env: state.env, cwd: dir, runAs, logFile: join(paths.logsDir, 'supervisor.out') });
    writePidFile(getPidFile(paths, 'supervisor'), pid);
    await waitForHealth(state.ports.api, { timeoutMs: READY_TIMEOUT_MS, supervisorPid: pid });
    state.readyAt = epochMs();
    writeState(paths, state);
    return new WebstackTarget(state);
  } catch (error) {
    const logs = readLogTails(paths);
    const stopped = await stopWebstack(dir, { ownsDir, keepDir: !ownsDir }).catch((stopError: unknown) => ({ complete: false, left: [`(stop failed: ${getErrorMessage(stopError)})`], notes: [] }));
    const survivors = stopped.complete ? '' : `\n  still running after stop: ${stopped.left.join('; ')} (${dir} kept: run \`faultline recover\`, or \`faultline target down webstack --dir ${dir}\` once they are gone)`;
    const ErrorClass = stopped.complete ? TargetError : RollbackError;
    throw new ErrorClass(`the web stack did not start in ${dir}: ${getErrorMessage(error)}${logs}${survivors}`, {
      cause: error,
      hint: 'check that postgresql and redis-server are installed (apt-get install postgresql redis-server), and read the logs above',
    });
  }
}

function writeState(paths: WebstackPaths, state: WebstackState): void {
  // faultline's own copy first: what root later acts on (ports, credentials) is read from there, never from the dir.
  writeWebstackRecord(state);
  // The in-dir copy, for people and the stack's scripts: the stack's uid can rewrite it. Written without following a link planted there.
  writeFileReplacing(paths.state, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
}

// The API's env file, Redis's config and the supervisor's programs; all before the tree goes to the uid.
function writeInstanceFiles(paths: WebstackPaths, state: WebstackState, scripts: ReturnType<typeof getWebstackScripts>, runAs: RunAs): void {
  const { options, ports } = state;
  const owner = { uid: runAs.uid, gid: runAs.gid };
  writeFileReplacing(paths.apiEnv, renderEnvFile(buildApiEnv(paths, state)), { mode: 0o600, owner });
  writeFileReplacing(paths.redisConfig, renderRedisConfig(paths, ports.redis, state.redis.password), { mode: 0o600, owner });
  const postgres = getPostgresCommand(paths, state.postgres.binDir);
  const programs: ProgramsFile = {
    runDir: paths.runDir,
    events: paths.events,
    stopFile: paths.stopFile,
    programs: [
      { name: 'postgres', ...postgres, env: state.env, restart: true, restartDelayMs: options.infraRestartDelayMs, readyPort: ports.postgres, readyCommand: [join(state.postgres.binDir, 'pg_isready'), '-q', '-h', '127.0.0.1', '-p', String(ports.postgres), '-t', '1', '-U', state.postgres.probe.user, '-d', state.postgres.database], stopSignal: 'SIGINT', log: join(paths.logsDir, 'postgres.log') },
      { name: 'redis', command: state.redis.server, args: [paths.redisConfig], env: state.env, restart: true, restartDelayMs: options.infraRestartDelayMs, readyPort: ports.redis, stopSignal: 'SIGTERM', log: join(paths.logsDir, 'redis.log') },
      { name: 'api', command: state.nodePath, args: [scripts.api, paths.dir], env: state.env, restart: options.guardrails, restartDelayMs: 250, readyPort: ports.api, stopSignal: 'SIGTERM', log: join(paths.logsDir, 'api.log') },
      { name: 'scheduler', command: state.nodePath, args: [scripts.scheduler, paths.dir], env: state.env, restart: options.guardrails, restartDelayMs: 250, stopSignal: 'SIGTERM', log: join(paths.logsDir, 'scheduler.log') },
    ],
  };
  writeFileReplacing(paths.programs, `${JSON.stringify(programs, null, 2)}\n`, { mode: 0o644, owner });
  writeFileReplacing(paths.events, '', { mode: 0o644, owner });
}

/** The API's env file as started (reset writes it back). */
export function buildApiEnv(paths: WebstackPaths, state: WebstackState): Record<string, string> {
  const { options, ports, postgres } = state;
  return {
    GUARDRAILS: options.guardrails ? 'on' : 'off',
    API_PORT: String(ports.api),
    PG_HOST: '127.0.0.1',
    PG_PORT: String(ports.postgres),
    PG_DATABASE: postgres.database,
    PG_USER: postgres.app.user,
    PG_PASSWORD: postgres.app.password,
    REDIS_PORT: String(ports.redis),
    REDIS_PASSWORD: state.redis.password,
    JWT_SECRET: state.jwtSecret,
    UPLOAD_DIR: options.guardrails ? paths.uploadsDir : paths.tmpUploadsDir,
    EVENT_FLUSH_MS: String(options.eventFlushMs),
    BREAKER_OPEN_MS: String(options.breakerOpenMs),
    SCHEDULER_INTERVAL_MS: String(options.schedulerIntervalMs),
  };
}

// A fresh mkdtemp, a recorded dir not created yet, or the caller's dir: empty, or a stopped stack's (its entries go).
async function prepareDirectory(requested: string | undefined, ownsDir: boolean): Promise<string> {
  if (requested === undefined) return mkdtempSync(join(realpathSync(tmpdir()), WEBSTACK_DIR_PREFIX));
  const wanted = resolve(requested);
  if (ownsDir && !existsSync(wanted)) {
    mkdirSync(wanted, { mode: 0o700 });
    return realpathSync(wanted);
  }
  mkdirSync(wanted, { recursive: true });
  const dir = realpathSync(wanted);
  const paths = getWebstackPaths(dir);
  if (existsSync(paths.state)) {
    if ((await getWebstackStatus(dir)).running) throw new TargetError(`a web stack is already running in ${dir}`, { hint: `stop it with \`faultline target down webstack --dir ${dir}\`` });
    // A stopped stack's leftovers (a crash before stop): cleared, its uid swept, its mount gone.
    const report = await stopWebstack(dir, { keepDir: true });
    if (!report.complete) throw new TargetError(`a web stack in ${dir} is still running: ${report.left.join('; ')}`, { hint: `stop it with \`faultline target down webstack --dir ${dir}\`` });
  } else if (readdirSync(dir).length > 0) {
    throw new TargetError(`${dir} is not empty and holds no web stack (no webstack.json)`, { hint: 'pass a new or empty directory' });
  }
  if (isMounted(paths.pgArea) && !(await unmountDataArea(paths.pgArea))) throw new TargetError(`a stale data area is still mounted at ${paths.pgArea}`, { hint: `unmount it: umount ${paths.pgArea}` });
  return dir;
}
