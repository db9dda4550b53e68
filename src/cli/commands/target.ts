// `faultline target up|down|status`: yargs wiring only; the reference orchestrator is imported when a subcommand runs.
import type { Argv, CommandModule } from 'yargs';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { InputError, RollbackError, TargetError } from '../../errors.js';
import type { ReferenceStatus } from '../../targets/reference/status.js';
import { addInstance, listInstances, readCurrentInstance, RECORD_FILE, removeInstance } from '../target-records.js';

export { RECORD_FILE, RECORDS_FILE } from '../target-records.js';
import { sanitizeForTerminal } from '../../util/terminal-text.js';

/** Options of `faultline target up` as parsed. */
export interface TargetUpArgs {
  /** Which bundled target: the reference orchestrator (default) or the web stack. */
  target?: BundledTargetName;
  /** fleet: how many namespace-hosts. */
  hosts?: number;
  dir?: string;
  /** The web stack's guardrails (on = the failure matrix's proposed system, off = its current one). */
  guardrails?: 'on' | 'off';
  /** etcd: members in network namespaces (default as root) or on loopback ports. */
  network?: 'namespaces' | 'loopback';
  heal: 'on' | 'off';
  healDelayMs?: number;
  healIntervalMs?: number;
  projects?: string;
  checkinIntervalMs?: number;
  dataSizeMib?: number;
  json: boolean;
}

/** Options of `faultline target down|status` as parsed. */
export interface TargetDirArgs {
  target?: BundledTargetName;
  dir?: string;
  json: boolean;
  /** down: stop every instance started from this directory. */
  all?: boolean;
}

/** The bundled targets `target up|down|status` start, stop and describe. */
export type BundledTargetName = 'reference' | 'webstack' | 'fleet' | 'etcd';
const BUNDLED_TARGETS: readonly BundledTargetName[] = ['reference', 'webstack', 'fleet', 'etcd'];

// What each bundled target's subcommands do: a name → functions map, so no subcommand decides by name.
const bundledTargets: Record<BundledTargetName, { up(args: TargetUpArgs, cwd: string): Promise<string>; down(args: TargetDirArgs, cwd: string): Promise<string>; status(args: TargetDirArgs, cwd: string): Promise<string> }> = {
  reference: {
    up: (args, cwd) => {
      if (args.guardrails !== undefined) throw new InputError('--guardrails applies to the web stack: `faultline target up webstack --guardrails on|off`');
      if (args.hosts !== undefined) throw new InputError('--hosts applies to a simulated fleet: `faultline target up fleet --hosts 3`');
      return runTargetUp(args, cwd);
    },
    down: (args, cwd) => (args.all ? runTargetDownAll(args, cwd) : runTargetDown(args, cwd)),
    status: runTargetStatus,
  },
  webstack: {
    up: async (args, cwd) => {
      const referenceOnly = (['healDelayMs', 'healIntervalMs', 'projects', 'checkinIntervalMs', 'dataSizeMib'] as const).filter((key) => args[key] !== undefined);
      if (referenceOnly.length > 0) throw new InputError(`${referenceOnly.map((key) => `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`).join(', ')}: options of the reference orchestrator, not the web stack`);
      const { runWebstackUp } = await import('./target-webstack.js');
      return runWebstackUp({ ...(args.dir !== undefined ? { dir: args.dir } : {}), guardrails: args.guardrails ?? 'on', json: args.json }, cwd);
    },
    down: async (args, cwd) => {
      if (args.all) throw new InputError('--all applies to the reference orchestrator; stop a web stack with `faultline target down webstack [--dir <dir>]`');
      return (await import('./target-webstack.js')).runWebstackDown(args, cwd);
    },
    status: async (args, cwd) => (await import('./target-webstack.js')).runWebstackStatus(args, cwd),
  },
  fleet: {
    up: async (args, cwd) => (await import('../fleet-target.js')).runFleetUp(args, cwd),
    down: async (args, cwd) => {
      if (args.all) throw new InputError('--all applies to the reference orchestrator; stop a simulated fleet with `faultline target down fleet [--dir <dir>]`');
      return (await import('../fleet-target.js')).runFleetDown(args, cwd);
    },
    status: async (args, cwd) => (await import('../fleet-target.js')).runFleetStatus(args, cwd),
  },
  etcd: {
    up: async (args, cwd) => {
      const others = (['guardrails', 'healDelayMs', 'healIntervalMs', 'projects', 'checkinIntervalMs', 'dataSizeMib', 'hosts'] as const).filter((key) => args[key] !== undefined);
      if (others.length > 0) throw new InputError(`${others.map((key) => `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`).join(', ')}: not options of the etcd cluster`);
      return (await import('./target-etcd.js')).runEtcdUp({ ...(args.dir !== undefined ? { dir: args.dir } : {}), ...(args.network !== undefined ? { network: args.network } : {}), json: args.json }, cwd);
    },
    down: async (args, cwd) => {
      if (args.all) throw new InputError('--all applies to the reference orchestrator; stop an etcd cluster with `faultline target down etcd [--dir <dir>]`');
      return (await import('./target-etcd.js')).runEtcdDown(args, cwd);
    },
    status: async (args, cwd) => (await import('./target-etcd.js')).runEtcdStatus(args, cwd),
  },
};

function withTargetPositional<T>(yargs: Argv<T>): Argv<T> {
  return yargs.positional('target', { choices: BUNDLED_TARGETS, default: 'reference', describe: 'Which bundled target: the reference orchestrator, the web stack (API + PostgreSQL + Redis), a simulated fleet of namespace-hosts running sshd, or etcd (a three-member cluster)' }) as Argv<T>;
}

const upCommand: CommandModule<object, TargetUpArgs> = {
  command: 'up [target]',
  describe: 'Start a bundled target (default the reference orchestrator; `webstack`: the web stack); it keeps running',
  builder: (yargs) =>
    withTargetPositional(yargs)
      .option('guardrails', { choices: ['on', 'off'] as const, describe: "webstack: the failure matrix's guardrails (on = its proposed system, off = its current one; default on)" })
      .option('hosts', { type: 'number', describe: 'fleet: how many namespace-hosts (default 3)' })
      .option('network', { choices: ['namespaces', 'loopback'] as const, describe: 'etcd: a network namespace per member (default as root) or loopback ports' })
      .option('dir', { type: 'string', describe: 'Instance directory (default: a new temp dir, removed by `down`; a dir you give is kept)' })
      .option('heal', { choices: ['on', 'off'] as const, default: 'on' as const, describe: 'Run the healer (off = no recovery, like upstream)' })
      .option('heal-delay-ms', { type: 'number', describe: 'Known delay between a detection and its repair (default 0)' })
      .option('heal-interval-ms', { type: 'number', describe: 'How often the healer checks (default 100)' })
      .option('projects', { type: 'string', describe: 'Comma-separated project sessions (default proj-a)' })
      .option('checkin-interval-ms', { type: 'number', describe: 'Scheduler check-in interval (default 2000)' })
      .option('data-size-mib', { type: 'number', describe: 'Size of the bounded data area (default 64)' })
      .option('json', { type: 'boolean', default: false, describe: 'Print the instance as JSON' })
      .example('$0 target up', 'start one in a temp dir')
      .example('$0 target up --heal off --projects a,b', 'two projects, no recovery')
      .example('$0 target up webstack --guardrails off', 'the web stack without its guardrails')
      .example('$0 target up etcd', 'a three-member etcd cluster, a network namespace per member') as never,
  handler: async (args) => {
    process.stdout.write(sanitizeForTerminal(await bundledTargets[args.target ?? 'reference'].up(args, process.cwd()), { multiline: true }));
  },
};

const downCommand: CommandModule<object, TargetDirArgs> = {
  command: 'down [target]',
  describe: 'Stop a bundled target (default the reference orchestrator): nothing left running or mounted',
  builder: (yargs) =>
    withDirOptions(withTargetPositional(yargs))
      .option('all', { type: 'boolean', default: false, describe: 'Stop every instance `target up` started from this directory' })
      .conflicts('all', 'dir') as never,
  handler: async (args) => {
    process.stdout.write(sanitizeForTerminal(await bundledTargets[args.target ?? 'reference'].down(args, process.cwd()), { multiline: true }));
  },
};

const statusCommand: CommandModule<object, TargetDirArgs> = {
  command: 'status [target]',
  describe: 'Describe a bundled target (default the reference orchestrator): its processes, health, mount',
  builder: (yargs) => withDirOptions(withTargetPositional(yargs)) as never,
  handler: async (args) => {
    process.stdout.write(sanitizeForTerminal(await bundledTargets[args.target ?? 'reference'].status(args, process.cwd()), { multiline: true }));
  },
};

export const targetCommand: CommandModule = {
  command: 'target <command>',
  describe: 'Start, stop or describe a bundled target (the reference orchestrator, or the web stack)',
  builder: (yargs) => yargs.command(upCommand).command(downCommand).command(statusCommand).demandCommand(1, 'Name a subcommand: up | down | status.'),
  handler: () => undefined,
};

function withDirOptions(yargs: Argv): Argv {
  return yargs
    .option('dir', { type: 'string', describe: `Instance directory (default: the one recorded in ${RECORD_FILE} by \`target up\`)` })
    .option('json', { type: 'boolean', default: false, describe: 'Print JSON' });
}

/** Starts an instance, records it in `<cwd>/.faultline/target` (and the list of instances), and returns what to print. */
export async function runTargetUp(args: TargetUpArgs, cwd: string): Promise<string> {
  const [{ startReference, getReferenceStatus }, { startRecordedInstance }, { resolveReferenceOptions }, { Ledger }] = await Promise.all([
    import('../../targets/reference/index.js'),
    import('../../targets/drivers/reference-recorded-start.js'),
    import('../../targets/reference/options.js'),
    import('../../run/ledger.js'),
  ]);
  // A second instance without --dir would silently take over the record and orphan the first.
  const current = readCurrentInstance(cwd);
  if (args.dir === undefined && current !== undefined && (await getReferenceStatus(current)).running) {
    throw new InputError(`a reference target started here is already running in ${current}`, {
      hint: `stop it first (\`faultline target down\`), or start another one in a folder of its own with \`faultline target up --dir <dir>\``,
    });
  }
  const projects = args.projects === undefined ? undefined : args.projects.split(',').map((name) => name.trim()).filter(Boolean);
  const startOptions = {
    heal: args.heal !== 'off',
    healDelayMs: args.healDelayMs,
    healIntervalMs: args.healIntervalMs,
    projects,
    checkinIntervalMs: args.checkinIntervalMs,
    dataSizeMiB: args.dataSizeMib,
  };
  resolveReferenceOptions(startOptions); // Bad options: exit 2 before anything is recorded or created.
  const record = join(cwd, RECORD_FILE);
  // The intent is on disk before the first step, and the record names the new instance from the start:
  // a `target up` killed half-way leaves nothing `faultline recover` cannot find, and recover removes
  // the record with the instance.
  const started = await startRecordedInstance(
    { ledger: new Ledger(resolve(cwd, process.env.FAULTLINE_STATE_DIR ?? '.faultline')), id: `target-up-${process.pid}-${Date.now()}-target`, runId: 'target-up', scenario: 'target up', ...(args.dir === undefined ? {} : { dir: resolve(cwd, args.dir) }), recordFile: record },
    async (dir) => {
      addInstance(cwd, dir);
      try {
        return await startReference({ ...startOptions, dir, ...(args.dir === undefined ? { ownsDir: true } : {}) });
      } catch (error) {
        removeInstance(cwd, dir);
        throw error;
      }
    },
  );
  const target = started.value;
  // A --dir start resolves symlinks: record where it really runs.
  if (target.dir !== started.dir) {
    removeInstance(cwd, started.dir);
    addInstance(cwd, target.dir);
  }
  started.detach();
  const stopHint = `faultline target down --dir ${target.dir}`;
  if (args.json) return `${JSON.stringify({ ...(await getReferenceStatus(target.dir)), stop: stopHint }, null, 2)}\n`;
  const { options, data } = target.state;
  const startMs = target.state.readyAt === undefined ? '?' : Math.round(target.state.readyAt - target.state.startedAt);
  return [
    `reference orchestrator up in ${startMs} ms`,
    `  dir      ${target.dir}`,
    `  socket   ${target.state.socketPath}   (look: tmux -S ${target.state.socketPath} attach -t tmux-orc)`,
    `  sessions tmux-orc${options.projects.map((name) => `, ${name}`).join('')}`,
    `  healer   ${options.heal ? `on (every ${options.healIntervalMs} ms, delay ${options.healDelayMs} ms), events in ${target.signalsPath}` : 'off'}`,
    `  data     ${data ? `${data.kind} ${data.path} (${Math.round(data.sizeBytes / 1024 / 1024)} MiB)` : 'none'}`,
    `stop it with: ${stopHint}`,
    '',
  ].join('\n');
}

/** Stops the instance named by --dir or recorded by `up`; returns what to print. */
export async function runTargetDown(args: TargetDirArgs, cwd: string): Promise<string> {
  const { stopReference } = await import('../../targets/reference/index.js');
  const dir = findInstanceDir(args.dir, cwd);
  const started = performance.now();
  const { notes, complete, left } = await stopReference(dir);
  if (!complete) {
    throw new RollbackError(`the reference orchestrator in ${dir} is not fully stopped: still running ${left.join('; ')}${notes.length > 0 ? ` (${notes.join('; ')})` : ''}`, {
      hint: `run \`faultline target down --dir ${dir}\` again, or stop what is listed by hand`,
    });
  }
  removeInstance(cwd, dir);
  const stopMs = Math.round(performance.now() - started);
  return args.json ? `${JSON.stringify({ dir, stopped: true, stopMs, notes })}\n` : `reference orchestrator in ${dir} stopped in ${stopMs} ms\n${notes.map((note) => `note: ${note}\n`).join('')}`;
}

/** Stops every instance `up` started from `cwd` (those already gone are forgotten); returns what to print. */
export async function runTargetDownAll(args: TargetDirArgs, cwd: string): Promise<string> {
  const dirs = listInstances(cwd);
  if (dirs.length === 0) return args.json ? `${JSON.stringify({ stopped: [] })}\n` : `no reference target started from ${cwd} is recorded\n`;
  const stopped: string[] = [];
  const failed: string[] = [];
  for (const dir of dirs) {
    try {
      readFileSync(join(dir, 'target.json'));
    } catch {
      removeInstance(cwd, dir); // already gone: nothing to stop
      continue;
    }
    try {
      await runTargetDown({ dir, json: false }, cwd);
      stopped.push(dir);
    } catch (error) {
      failed.push(`${dir}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  if (failed.length > 0) {
    throw new RollbackError(`${failed.length} of ${dirs.length} reference targets not fully stopped: ${failed.join('; ')}`, { hint: 'run `faultline target down --all` again, or stop what is listed by hand' });
  }
  return args.json ? `${JSON.stringify({ stopped })}\n` : `${stopped.map((dir) => `reference orchestrator in ${dir} stopped\n`).join('') || 'nothing was running\n'}`;
}

/** Describes the instance named by --dir or recorded by `up`; returns what to print. */
export async function runTargetStatus(args: TargetDirArgs, cwd: string): Promise<string> {
  const { getReferenceStatus } = await import('../../targets/reference/index.js');
  const status = await getReferenceStatus(findInstanceDir(args.dir, cwd));
  return args.json ? `${JSON.stringify(status, null, 2)}\n` : formatStatus(status);
}

// --dir wins; else the record of the last `up` in this directory; the instance must have a target.json.
function findInstanceDir(dirArg: string | undefined, cwd: string): string {
  const dir = dirArg === undefined ? readCurrentInstance(cwd) : resolve(cwd, dirArg);
  if (dir === undefined) {
    throw new InputError(`no reference target recorded in ${join(cwd, RECORD_FILE)}`, { hint: 'pass --dir, or start one with `faultline target up`' });
  }
  try {
    readFileSync(join(dir, 'target.json'));
  } catch (error) {
    throw new TargetError(`no reference target at ${dir}`, { hint: 'start one with `faultline target up`', cause: error });
  }
  return dir;
}

function formatStatus(status: ReferenceStatus): string {
  const state = status.healthy ? 'running, healthy' : status.running ? `running, NOT healthy (missing: ${status.missing.join(', ') || 'processes'})` : 'not running';
  const lines = [`reference orchestrator in ${status.dir}: ${state}`, `  socket   ${status.socketPath} (server ${status.server.alive ? `pid ${status.server.pid ?? '?'}` : 'down'})`];
  for (const session of status.sessions) {
    lines.push(`  session  ${session.name}: ${session.windows.map((window) => `${window.index}:${window.name}(${window.dead ? 'dead' : window.command})`).join(' ')}`);
  }
  lines.push(`  procs    ${status.processes.map((process) => `${process.name} ${process.pid}${process.alive ? '' : ' (gone)'}`).join(', ') || 'none'}`);
  lines.push(`  healer   ${status.heal.enabled ? `${status.heal.alive ? 'on' : 'on but NOT running'} (every ${status.heal.intervalMs} ms, delay ${status.heal.delayMs} ms)` : 'off'}`);
  if (status.data) lines.push(`  data     ${status.data.kind} ${status.data.path}${status.data.kind === 'tmpfs' ? (status.data.mounted ? ' (mounted)' : ' (NOT mounted)') : ''}`);
  if (status.runAs) lines.push(`  runs as  uid ${status.runAs.uid}${status.runAs.processBudget ? `, process budget ${status.runAs.processBudget}` : ''}${status.runAs.note ? ` (${status.runAs.note})` : ''}`);
  return `${lines.join('\n')}\n`;
}
