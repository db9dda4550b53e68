// `faultline target up|down|status etcd`: the bundled etcd cluster's lifecycle commands (the cluster is
// imported when one runs). Its instances are recorded in .faultline/etcd like the reference's in .faultline/target.
import { join, resolve } from 'node:path';
import { InputError, RollbackError, TargetError } from '../../errors.js';
import type { EtcdStatus } from '../../targets/etcd/status.js';
import { createInstanceRecords } from '../target-records.js';

const records = createInstanceRecords('etcd');

/** Options of `faultline target up etcd` as parsed. */
export interface EtcdUpArgs {
  dir?: string;
  /** Members in their own network namespaces (default as root) or on loopback ports. */
  network?: 'namespaces' | 'loopback';
  json: boolean;
}

/** Starts a cluster, records it, and returns what to print. */
export async function runEtcdUp(args: EtcdUpArgs, cwd: string): Promise<string> {
  const [{ startRecordedCluster }, { getEtcdStatus }, { Ledger }] = await Promise.all([
    import('../../targets/etcd/recorded-start.js'),
    import('../../targets/etcd/status.js'),
    import('../../run/ledger.js'),
  ]);
  const current = records.readCurrent(cwd);
  if (args.dir === undefined && current !== undefined && (await getEtcdStatus(current)).running) {
    throw new InputError(`an etcd cluster started here is already running in ${current}`, { hint: 'stop it first (`faultline target down etcd`), or start another with `--dir <dir>`' });
  }
  const dir = args.dir === undefined ? undefined : resolve(cwd, args.dir);
  const started = await startRecordedCluster(
    { ledger: new Ledger(resolve(cwd, process.env.FAULTLINE_STATE_DIR ?? '.faultline')), id: `target-up-etcd-${process.pid}-${Date.now()}-target`, runId: 'target-up', scenario: 'target up etcd', recordFile: join(cwd, records.recordFile) },
    { ...(dir ? { dir } : {}), ...(args.network ? { network: args.network } : {}), onDir: (chosen: string) => records.add(cwd, chosen) },
  ).catch((error: unknown) => {
    if (dir) records.remove(cwd, dir);
    throw error;
  });
  started.detach();
  const { state } = started;
  const stop = `faultline target down etcd --dir ${state.dir}`;
  if (args.json) return `${JSON.stringify({ ...(await getEtcdStatus(state.dir)), stop }, null, 2)}\n`;
  return [
    `etcd cluster up in ${state.readyAt === undefined ? '?' : state.readyAt - state.startedAt} ms (${state.members.length} members, ${state.network.mode === 'namespaces' ? `a network namespace each on ${state.network.subnet}` : 'loopback ports'}; heartbeat ${state.heartbeatMs} ms, election timeout ${state.electionMs} ms)`,
    `  dir      ${state.dir}`,
    ...state.members.map((member) => `  ${member.name.padEnd(8)} http://${member.host}:${member.clientPort} (peer ${member.peerPort}${member.namespace ? `, netns ${member.namespace}` : ''}, data ${member.mounted ? 'tmpfs' : 'dir'} ${member.dir})`),
    `  runs as  uid ${state.runAs.uid}${state.runAs.note ? ` (${state.runAs.note})` : ''}`,
    `  try      curl -s -X POST http://${state.members[0]!.host}:${state.members[0]!.clientPort}/v3/maintenance/status -d '{}'`,
    `stop it with: ${stop}`,
    '',
  ].join('\n');
}

/** Stops the cluster named by --dir or recorded by `up`. */
export async function runEtcdDown(args: { dir?: string; json: boolean }, cwd: string): Promise<string> {
  const { stopEtcdCluster } = await import('../../targets/etcd/stop.js');
  const dir = findClusterDir(args.dir, cwd);
  const started = performance.now();
  const { complete, left, notes } = await stopEtcdCluster(dir);
  if (!complete) {
    throw new RollbackError(`the etcd cluster in ${dir} is not fully stopped: still there ${left.join('; ')}`, { hint: `run \`faultline target down etcd --dir ${dir}\` again, or \`faultline recover\`` });
  }
  records.remove(cwd, dir);
  const stopMs = Math.round(performance.now() - started);
  return args.json ? `${JSON.stringify({ dir, stopped: true, stopMs, notes })}\n` : `etcd cluster in ${dir} stopped in ${stopMs} ms\n${notes.map((note) => `note: ${note}\n`).join('')}`;
}

/** Describes the cluster named by --dir or recorded by `up`. */
export async function runEtcdStatus(args: { dir?: string; json: boolean }, cwd: string): Promise<string> {
  const { getEtcdStatus } = await import('../../targets/etcd/status.js');
  const status = await getEtcdStatus(findClusterDir(args.dir, cwd));
  return args.json ? `${JSON.stringify(status, null, 2)}\n` : formatStatus(status);
}

function findClusterDir(dirArg: string | undefined, cwd: string): string {
  const dir = dirArg === undefined ? records.readCurrent(cwd) : resolve(cwd, dirArg);
  if (dir === undefined) throw new InputError(`no etcd cluster recorded in ${join(cwd, records.recordFile)}`, { hint: 'pass --dir, or start one with `faultline target up etcd`' });
  return dir;
}

function formatStatus(status: EtcdStatus): string {
  if (status.members.length === 0) throw new TargetError(`no etcd cluster at ${status.dir}`, { hint: 'start one with `faultline target up etcd`' });
  const state = status.healthy ? `running, healthy, ${status.leader} leads` : status.running ? `running, NOT healthy (${status.leader ? `${status.leader} leads` : 'no leader a majority follows'})` : 'not running';
  const lines = [`etcd cluster in ${status.dir}: ${state}`];
  for (const member of status.members) {
    lines.push(`  ${member.name.padEnd(8)} ${member.endpoint}${member.namespace ? ` (netns ${member.namespace})` : ''}: ${member.pid === undefined ? 'not running' : `pid ${member.pid}, ${member.health}, follows ${member.follows ?? 'none'}`}${member.mounted ? '' : ' (data not on its tmpfs)'}`);
  }
  if (status.runAs) lines.push(`  runs as  uid ${status.runAs.uid}${status.runAs.note ? ` (${status.runAs.note})` : ''}`);
  return `${lines.join('\n')}\n`;
}
