// The healer's non-tmux checks: config (bash -n, restore from last-known-good), scheduler, temp files, log size.
import { existsSync, lstatSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import type { Stats } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../../util/files.js';
import { readConfigText } from './config-file.js';
import { describeFailure, runCommand } from './exec.js';
import { isForkFailure } from './heal-tmux.js';
import type { Finding, HealContext } from './heal-context.js';
import { isInstanceProcess, readPidFile, spawnDetached, terminateInstanceProcess, writePidFile } from './processes.js';

/** Checks the config only when its inode, size, mtime or mode changed, so bash is not spawned every tick. */
export async function findConfigProblems(context: HealContext): Promise<Finding[]> {
  const key = getStatKey(context.paths.config);
  if (key !== undefined && key === context.configKey) return [];
  const problem = await getConfigProblem(context, key);
  if (problem === FORK_FAILED) return []; // Check again next tick, when bash can start.
  if (problem === undefined) {
    acceptConfig(context, key!);
    return [];
  }
  return [
    {
      component: 'config',
      subject: 'config/orchestrator.conf',
      detail: problem,
      async repair() {
        const good = readFileSync(context.paths.lastKnownGood);
        writeFileAtomic(context.paths.config, good);
        context.configKey = getStatKey(context.paths.config);
        return `restored from last-known-good (${good.length} bytes)`;
      },
    },
  ];
}

const FORK_FAILED = Symbol('fork failed');

async function getConfigProblem(context: HealContext, key: string | undefined): Promise<string | typeof FORK_FAILED | undefined> {
  if (key === undefined) return 'config file missing';
  const mode = statSync(context.paths.config).mode;
  if ((mode & 0o400) === 0) return `config not readable (mode ${(mode & 0o777).toString(8).padStart(3, '0')})`;
  const syntax = await runCommand('bash', ['-n', context.paths.config], { env: context.env, timeoutMs: 2000 });
  if (isForkFailure(syntax)) return FORK_FAILED;
  if (syntax.exitCode !== 0) return `bash -n failed: ${describeFailure(syntax)}`;
  const parsed = readConfigText(readFileSync(context.paths.config, 'utf8'));
  return parsed.ok ? undefined : parsed.problem;
}

// A config that parses becomes the new last-known-good when it differs from it.
function acceptConfig(context: HealContext, key: string): void {
  context.configKey = key;
  const text = readFileSync(context.paths.config);
  const parsed = readConfigText(text.toString('utf8'));
  if (parsed.ok) context.config = parsed.config;
  let good: Buffer | undefined;
  try {
    good = readFileSync(context.paths.lastKnownGood);
  } catch {
    good = undefined;
  }
  if (!good || !good.equals(text)) writeFileAtomic(context.paths.lastKnownGood, text);
}

/** The scheduler must be alive and keep touching its heartbeat (a hung one is restarted). */
export async function findSchedulerProblems(context: HealContext): Promise<Finding[]> {
  const { paths } = context;
  const pid = readPidFile(paths.schedulerPid);
  const alive = pid !== undefined && (await isInstanceProcess(pid, paths.dir));
  let problem: string | undefined;
  if (!alive) problem = pid === undefined ? 'scheduler pidfile missing' : `scheduler (pid ${pid}) not running`;
  else {
    const limitMs = Math.max(3 * context.config.checkinIntervalMs, 1000) + 500;
    const beatAt = Math.max(getMtimeMs(paths.schedulerHeartbeat) ?? 0, context.schedulerStartedAt);
    if (Date.now() - beatAt > limitMs) problem = `scheduler (pid ${pid}) hung: no heartbeat for ${Math.round(Date.now() - beatAt)} ms`;
  }
  if (problem === undefined) return [];
  return [
    {
      component: 'scheduler',
      subject: 'scheduler',
      detail: problem,
      async repair() {
        if (alive) await terminateInstanceProcess(pid!, paths.dir, 200);
        const started = spawnDetached(context.state.nodePath, context.state.scripts.scheduler, [paths.dir], { env: context.state.env, logFile: join(paths.logsDir, 'scheduler.out'), cwd: paths.dir });
        writePidFile(paths.schedulerPid, started);
        context.schedulerStartedAt = Date.now();
        return `scheduler restarted (pid ${started})`;
      },
    },
  ];
}

/** More than TMP_MAX_FILES entries in tmp/ → the oldest are pruned. */
export function findTmpProblems(context: HealContext): Finding[] {
  const { tmpDir } = context.paths;
  const max = context.config.tmpMaxFiles;
  let names: string[];
  try {
    names = readdirSync(tmpDir);
  } catch {
    return [];
  }
  if (names.length <= max) return [];
  return [
    {
      component: 'tmp',
      subject: 'tmp',
      detail: `${names.length} temp files (max ${max})`,
      async repair() {
        const files = names
          .map((name) => ({ path: join(tmpDir, name), mtimeMs: getLstat(join(tmpDir, name))?.mtimeMs }))
          .filter((file): file is { path: string; mtimeMs: number } => file.mtimeMs !== undefined)
          .sort((a, b) => a.mtimeMs - b.mtimeMs);
        const excess = files.slice(0, Math.max(0, files.length - max));
        for (const file of excess) rmSync(file.path, { recursive: true, force: true });
        return `pruned ${excess.length} oldest temp files`;
      },
    },
  ];
}

/** orchestrator.log over LOG_MAX_BYTES → rotated to orchestrator.log.1. */
export function findLogProblems(context: HealContext): Finding[] {
  const log = context.paths.orchestratorLog;
  const size = getLstat(log)?.size;
  const max = context.config.logMaxBytes;
  if (size === undefined || size <= max) return [];
  return [
    {
      component: 'log',
      subject: 'logs/orchestrator.log',
      detail: `log is ${size} bytes (max ${max})`,
      async repair() {
        renameSync(log, `${log}.1`);
        if (!existsSync(log)) writeFileSync(log, '');
        return `rotated ${size} bytes to orchestrator.log.1`;
      },
    },
  ];
}

function getStatKey(path: string): string | undefined {
  const stat = getLstat(path);
  return stat && `${stat.ino}:${stat.size}:${stat.mtimeMs}:${stat.mode}`;
}

function getLstat(path: string): Stats | undefined {
  try {
    return lstatSync(path);
  } catch {
    return undefined;
  }
}

function getMtimeMs(path: string): number | undefined {
  return getLstat(path)?.mtimeMs;
}
