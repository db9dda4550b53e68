// `faultline target up|down|status webstack`: the bundled web stack's lifecycle commands (the stack is
// imported when one runs). Its instances are recorded in .faultline/webstack like the reference's in .faultline/target.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { InputError, RollbackError, TargetError } from '../../errors.js';
import type { WebstackStatus } from '../../targets/webstack/status.js';
import { createInstanceRecords } from '../target-records.js';

const records = createInstanceRecords('webstack');

/** Options of `faultline target up webstack` as parsed. */
export interface WebstackUpArgs {
  dir?: string;
  guardrails: 'on' | 'off';
  json: boolean;
}

/** Starts a stack, records it, and returns what to print. */
export async function runWebstackUp(args: WebstackUpArgs, cwd: string): Promise<string> {
  const [{ startWebstack, getWebstackStatus }, { startRecordedInstance }, { getWebstackLifecycle }, { Ledger }] = await Promise.all([
    import('../../targets/webstack/index.js'),
    import('../../targets/drivers/reference-recorded-start.js'),
    import('../../targets/drivers/webstack.js'),
    import('../../run/ledger.js'),
  ]);
  const current = records.readCurrent(cwd);
  if (args.dir === undefined && current !== undefined && (await getWebstackStatus(current)).running) {
    throw new InputError(`a web stack started here is already running in ${current}`, { hint: 'stop it first (`faultline target down webstack`), or start another with `--dir <dir>`' });
  }
  const recordFile = join(cwd, records.recordFile);
  const started = await startRecordedInstance(
    {
      ledger: new Ledger(resolve(cwd, process.env.FAULTLINE_STATE_DIR ?? '.faultline')),
      id: `target-up-webstack-${process.pid}-${Date.now()}-target`,
      runId: 'target-up',
      scenario: 'target up webstack',
      ...(args.dir === undefined ? {} : { dir: resolve(cwd, args.dir) }),
      recordFile,
    },
    async (dir) => {
      records.add(cwd, dir);
      try {
        return await startWebstack({ guardrails: args.guardrails !== 'off', dir, ...(args.dir === undefined ? { ownsDir: true } : {}) });
      } catch (error) {
        records.remove(cwd, dir);
        throw error;
      }
    },
    await getWebstackLifecycle(),
  );
  const target = started.value;
  if (target.dir !== started.dir) {
    records.remove(cwd, started.dir);
    records.add(cwd, target.dir);
  }
  started.detach();
  const stop = `faultline target down webstack --dir ${target.dir}`;
  if (args.json) return `${JSON.stringify({ ...(await getWebstackStatus(target.dir)), services: target.services, stop }, null, 2)}\n`;
  const { state } = target;
  const startMs = state.readyAt === undefined ? '?' : Math.round(state.readyAt - state.startedAt);
  return [
    `web stack up in ${startMs} ms (guardrails ${state.options.guardrails ? 'on' : 'off'})`,
    `  dir       ${target.dir}`,
    ...target.services.map((service) => `  ${service.name.padEnd(9)} ${service.kind} ${service.host}:${service.port}${service.user ? ` (user ${service.user}, database ${service.database})` : ''}`),
    `  health    curl http://127.0.0.1:${state.ports.api}/health`,
    `  config    ${target.apiEnvPath}`,
    `  events    ${target.signalsPath}`,
    `  data      ${state.data ? `${state.data.kind} ${state.data.path} (${Math.round(state.data.sizeBytes / 1024 / 1024)} MiB)` : 'none'}`,
    `stop it with: ${stop}`,
    '',
  ].join('\n');
}

/** Stops the stack named by --dir or recorded by `up`. */
export async function runWebstackDown(args: { dir?: string; json: boolean }, cwd: string): Promise<string> {
  const { stopWebstack } = await import('../../targets/webstack/index.js');
  const dir = findStackDir(args.dir, cwd);
  const started = performance.now();
  const { complete, left, notes } = await stopWebstack(dir);
  if (!complete) {
    throw new RollbackError(`the web stack in ${dir} is not fully stopped: still running ${left.join('; ')}${notes.length > 0 ? ` (${notes.join('; ')})` : ''}`, {
      hint: `run \`faultline target down webstack --dir ${dir}\` again, or stop what is listed by hand`,
    });
  }
  records.remove(cwd, dir);
  const stopMs = Math.round(performance.now() - started);
  return args.json ? `${JSON.stringify({ dir, stopped: true, stopMs, notes })}\n` : `web stack in ${dir} stopped in ${stopMs} ms\n${notes.map((note) => `note: ${note}\n`).join('')}`;
}

/** Describes the stack named by --dir or recorded by `up`. */
export async function runWebstackStatus(args: { dir?: string; json: boolean }, cwd: string): Promise<string> {
  const { getWebstackStatus } = await import('../../targets/webstack/index.js');
  const status = await getWebstackStatus(findStackDir(args.dir, cwd));
  return args.json ? `${JSON.stringify(status, null, 2)}\n` : formatStatus(status);
}

function findStackDir(dirArg: string | undefined, cwd: string): string {
  const dir = dirArg === undefined ? records.readCurrent(cwd) : resolve(cwd, dirArg);
  if (dir === undefined) throw new InputError(`no web stack recorded in ${join(cwd, records.recordFile)}`, { hint: 'pass --dir, or start one with `faultline target up webstack`' });
  if (!existsSync(join(dir, 'webstack.json'))) throw new TargetError(`no web stack at ${dir} (no webstack.json)`, { hint: 'start one with `faultline target up webstack`' });
  return dir;
}

function formatStatus(status: WebstackStatus): string {
  if (status.ports === undefined && !status.running) throw new TargetError(`no web stack at ${status.dir}`, { hint: 'start one with `faultline target up webstack`' });
  const health = status.health as { status?: string; failed?: string[] } | undefined;
  const state = status.healthy ? 'running, healthy' : status.running ? `running, NOT healthy (failed: ${health?.failed?.join(', ') || 'no answer from /health'})` : 'not running';
  const lines = [`web stack in ${status.dir}: ${state}${status.guardrails === undefined ? '' : ` (guardrails ${status.guardrails ? 'on' : 'off'})`}`];
  if (status.ports) lines.push(`  ports    api ${status.ports.api}, postgres ${status.ports.postgres}, redis ${status.ports.redis}`);
  lines.push(`  procs    ${status.processes.map((entry) => `${entry.name} ${entry.pid ?? '-'}${entry.alive ? '' : ' (gone)'}`).join(', ')}`);
  if (status.data) lines.push(`  data     ${status.data.kind} ${status.data.path}${status.data.kind === 'tmpfs' ? (status.data.mounted ? ' (mounted)' : ' (NOT mounted)') : ''}`);
  if (status.runAs) lines.push(`  runs as  uid ${status.runAs.uid}${status.runAs.note ? ` (${status.runAs.note})` : ''}`);
  return `${lines.join('\n')}\n`;
}
