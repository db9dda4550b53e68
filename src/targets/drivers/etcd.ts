// The etcd driver: a three-member etcd cluster (Debian's etcd 3.4), one member per network namespace
// when root, started by faultline for each scenario (recorded in the ledger before it starts) or
// reused from `faultline target up etcd` (--target-dir).
import { existsSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { GuardError } from '../../errors.js';
import { GO_CLOCK_REFUSAL } from '../../util/go-binary.js';
import { createCompleteStopReport, type TargetHandle } from '../types.js';
import type { Intent, Ledger } from '../../run/ledger.js';
import type { TargetDescriptor, TargetDriver, TargetOpenOptions } from './types.js';

/** Stand-in directory for a cluster a run would create. */
const PLACEHOLDER_DIR = 'faultline-etcd-XXXXXX';

// Faster raft timings than etcd's defaults (100 ms / 1000 ms) keep scenarios short; still 10 heartbeats per election timeout.
const RUN_TIMINGS = { heartbeatMs: 50, electionMs: 500 };

const etcd: TargetDriver = {
  name: 'etcd',
  summary: 'a three-member etcd cluster (Debian etcd 3.4), a network namespace per member as root, started and stopped by faultline',
  starts: true,
  trustsScenarioPidfiles: false,
  roles: ['leader', 'follower'],
  bundled: { label: 'etcd (the bundled three-member etcd cluster)', capabilities: ['services'] },
  // Said before any cluster starts: /usr/bin/etcd is a Go program, which no clock-skew mechanism reaches.
  refusals: {
    'clock.skew': `etcd is a Go program: ${GO_CLOCK_REFUSAL}`,
  },
  async open(_file, options) {
    return (await openCluster(options, { id: `etcd-${process.pid}-${Date.now()}`, runId: 'open' })).handle;
  },
  openRecorded: (_file, options, record) => openCluster(options, record),
  async openForPlan(_file, options) {
    const { readClusterState, getMemberNames, getMemberPaths } = await import('../etcd/layout.js');
    const { createEtcdTarget } = await import('../etcd/target.js');
    if (options.targetDir) {
      const dir = resolve(options.targetDir);
      if (existsSync(join(dir, 'cluster.json'))) return { target: createEtcdTarget(readClusterState(dir)), placeholder: false, note: `the etcd cluster in ${dir} (--target-dir)` };
    }
    const dir = join(realpathSync(tmpdir()), PLACEHOLDER_DIR);
    // Placeholder addresses (a run picks a free private subnet and its own namespace names), shaped as a run's are.
    const members = getMemberNames(3).map((name, index) => ({ name, host: `10.0.0.${11 + index}`, clientPort: 2379, peerPort: 2380, namespace: `fl-etcd-xxxxxxxx-${name}`, ...getMemberPaths(dir, name), mounted: true, sizeBytes: 192 * 1024 * 1024 }));
    const state = { kind: 'etcd-cluster' as const, dir, ownsDir: true, token: '', members, runAs: { uid: 0, gid: 0, dedicated: false }, ...RUN_TIMINGS, etcd: '/usr/bin/etcd', startedAt: 0, network: { mode: 'loopback' as const } };
    // Not a placeholder the planner may swap for a throwaway reference instance: the etcd faults plan from the layout alone.
    return { target: createEtcdTarget(state), placeholder: false, note: `a fresh three-member etcd cluster that a run would start in a new temp dir (shown as ${dir}), a network namespace per member as root (addresses shown are placeholders)` };
  },
  async openForRecovery(descriptor) {
    const { tryReadClusterState } = await import('../etcd/layout.js');
    const { createEtcdTarget } = await import('../etcd/target.js');
    const dir = getDir(descriptor);
    const state = tryReadClusterState(dir) ?? { kind: 'etcd-cluster' as const, dir, ownsDir: false, token: '', members: [], runAs: { uid: 0, gid: 0, dedicated: false }, ...RUN_TIMINGS, etcd: '/usr/bin/etcd', startedAt: 0, network: { mode: 'loopback' as const } };
    return createEtcdTarget(state);
  },
  async recoverTarget(descriptor) {
    const { stopEtcdCluster } = await import('../etcd/stop.js');
    const dir = getDir(descriptor);
    const report = await stopEtcdCluster(dir, descriptor.driver === 'etcd' && descriptor.ownsDir !== undefined ? { ownsDir: descriptor.ownsDir } : {});
    const what = report.complete ? `stopped the etcd cluster in ${dir}` : `the etcd cluster in ${dir} is not fully stopped: ${report.left.join('; ')}`;
    return { ok: report.complete, detail: [what, ...report.notes].join('; ') };
  },
  describeForLedger: (target) => ({ driver: 'etcd', dir: target.home }),
  async findOwnedProcesses(target) {
    const { tryReadClusterState } = await import('../etcd/layout.js');
    const { findMemberProcess } = await import('../etcd/stop.js');
    const owned = new Map<number, string>();
    for (const member of tryReadClusterState(target.home)?.members ?? []) {
      const pid = findMemberProcess(member);
      if (pid !== undefined) owned.set(pid, `etcd member ${member.name} (run/${member.name}.pid, on its data dir)`);
    }
    return owned;
  },
  describeOwnedProcesses: () => 'its etcd members (run/<member>.pid, checked against the member’s data dir)',
  async findRoleProcess(target, role) {
    if (role !== 'leader' && role !== 'follower') throw new GuardError(`fault.role: the etcd target knows the roles leader and follower; got ${JSON.stringify(role)}`);
    const { readClusterState } = await import('../etcd/layout.js');
    const { readLeaderView, describeLeaderView } = await import('../etcd/leader.js');
    const state = readClusterState(target.home);
    const view = await readLeaderView(state.members, state.ids ?? {}, 1000);
    if (!view.leader) throw new GuardError(`fault.role: the etcd cluster has no leader a majority follows now: ${describeLeaderView(view)}`, { hint: 'the steady state should check etcd.leader first' });
    if (role === 'leader') return view.leader;
    // The first member (by name) that follows the leader: a stable choice for a scenario's "a follower".
    const follower = view.members.find((member) => member.name !== view.leader && member.follows === view.leader);
    if (!follower) throw new GuardError(`fault.role: no member follows the leader ${view.leader} now: ${describeLeaderView(view)}`);
    return follower.name;
  },
};
export default etcd;

// Opens the cluster named by --target-dir, or starts (and records, with a ledger) a fresh one.
async function openCluster(options: TargetOpenOptions, record: { ledger?: Ledger; id: string; runId: string; scenario?: string }): Promise<{ handle: TargetHandle; intent?: Intent }> {
  const [{ readClusterState }, { createEtcdTarget }, { startRecordedCluster }, { stopEtcdCluster }, { startEtcdCluster }] = await Promise.all([
    import('../etcd/layout.js'), import('../etcd/target.js'), import('../etcd/recorded-start.js'), import('../etcd/stop.js'), import('../etcd/start.js'),
  ]);
  if (options.targetDir) {
    const target = createEtcdTarget(readClusterState(resolve(options.targetDir)));
    return { handle: { target, managed: false, close: async () => createCompleteStopReport() } };
  }
  const started = await startRecordedCluster({ ...(record.ledger ? { ledger: record.ledger } : {}), id: record.id, runId: record.runId, ...(record.scenario ? { scenario: record.scenario } : {}) }, RUN_TIMINGS);
  let state = started.state;
  const handle: TargetHandle = {
    get target() {
      return createEtcdTarget(state);
    },
    managed: true,
    // A fresh cluster in the same directory: a killed or corrupted member does not carry over.
    async reset() {
      const report = await stopEtcdCluster(state.dir, { ownsDir: false });
      if (report.complete) state = await startEtcdCluster({ ...RUN_TIMINGS, dir: state.dir, ownsDir: started.state.ownsDir });
      return report;
    },
    close: () => started.stop(),
  };
  return { handle, intent: started.intent };
}


function getDir(descriptor: TargetDescriptor): string {
  if (descriptor.driver !== 'etcd') throw new Error(`the etcd driver got a ${descriptor.driver} descriptor`);
  return descriptor.dir;
}
