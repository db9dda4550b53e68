// Benchmark: the fleet controller's overhead per host, over simulated fleets of 1, 3 and 10 namespace-hosts
// running Debian's sshd: the first connect to a host (ssh handshake, ControlMaster set up, agent started,
// version checked, clock measured), a connect through the shared connection, all hosts connected at once
// (as a fleet run does), and a probe's round trip through the agent. Needs root (namespaces) and sshd;
// run with `npm run bench:fleet` (builds first). Exits 1 when a figure misses its budget.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const SIZES = [1, 3, 10];
const PROBES = 30;
// Budgets, generous for a shared 2-core runner: the agent is a Node process started per connection.
const BUDGET = { warmConnectP95Ms: 5_000, allConnectedMs: 30_000, probeRoundTripP95Ms: 100 };

if (process.getuid?.() !== 0) {
  console.log('bench:fleet skipped: network namespaces need root');
  process.exit(0);
}
const [{ startSimulatedFleet, stopSimulatedFleet }, { readInventoryFile }, { buildAgentArgv, getControlDir }, { AgentConnection }, { closeSharedConnections }] = await Promise.all([
  import('../dist/fleet/simulated-fleet.js'),
  import('../dist/fleet/inventory.js'),
  import('../dist/fleet/ssh-command.js'),
  import('../dist/fleet/agent-connection.js'),
  import('../dist/fleet/shared-connections.js'),
]);

const percentile = (values, p) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
};
const ms = (value) => `${value.toFixed(1)} ms`;
const connect = (argv, label) => AgentConnection.connect(argv, { deadmanMs: 30_000, connectTimeoutMs: 60_000, label });

const rows = [];
const misses = [];
for (const size of SIZES) {
  const stateDir = mkdtempSync(join(tmpdir(), 'fl-fleet-bench-'));
  const controlDir = getControlDir(stateDir);
  const fleet = await startSimulatedFleet({ count: size, prefix: `fl-fleet-bench-${process.pid}-${size}` });
  let argvs = [];
  try {
    const inventory = readInventoryFile(fleet.inventory);
    const hosts = [...inventory.hosts.values()];
    argvs = hosts.map((host) => buildAgentArgv(host, controlDir));
    const cold = [];
    const warm = [];
    const offsets = [];
    for (const [index, argv] of argvs.entries()) {
      let start = performance.now();
      const first = await connect(argv, hosts[index].name);
      cold.push(performance.now() - start);
      await first.close();
      start = performance.now();
      const second = await connect(argv, hosts[index].name);
      warm.push(performance.now() - start);
      offsets.push(second.clock);
      await second.close();
    }
    // All at once through the shared connections, then probes through every agent.
    const start = performance.now();
    const connections = await Promise.all(argvs.map((argv, index) => connect(argv, hosts[index].name)));
    const allConnected = performance.now() - start;
    const roundTrips = [];
    const inAgent = [];
    try {
      for (const [index, connection] of connections.entries()) {
        const target = hosts[index].vars.faultline_target;
        for (let probe = 0; probe < PROBES; probe += 1) {
          const sent = performance.now();
          const result = await connection.request('probe', { target, spec: { probe: 'file.exists', path: 'data/service.conf' } }, 30_000);
          roundTrips.push(performance.now() - sent);
          inAgent.push(result.ms);
          if (!result.ok) throw new Error(`probe failed on ${hosts[index].name}: ${result.detail}`);
        }
      }
    } finally {
      await Promise.all(connections.map((connection) => connection.close()));
    }
    // The first probe on each agent loads the registries; the steady cost is the rest.
    const steady = roundTrips.filter((_, index) => index % PROBES !== 0);
    const row = {
      hosts: size,
      coldConnectP50: percentile(cold, 50),
      warmConnectP50: percentile(warm, 50),
      warmConnectP95: percentile(warm, 95),
      allConnected,
      probeRoundTripP50: percentile(steady, 50),
      probeRoundTripP95: percentile(steady, 95),
      probeInAgentP50: percentile(inAgent, 50),
      firstProbeP50: percentile(roundTrips.filter((_, index) => index % PROBES === 0), 50),
      clockUncertaintyMax: Math.max(...offsets.map((offset) => offset.uncertaintyMs)),
      clockOffsetMaxAbs: Math.max(...offsets.map((offset) => Math.abs(offset.offsetMs))),
    };
    rows.push(row);
    if (row.warmConnectP95 > BUDGET.warmConnectP95Ms) misses.push(`${size} hosts: connect through ControlMaster p95 ${ms(row.warmConnectP95)} > ${BUDGET.warmConnectP95Ms} ms`);
    if (row.allConnected > BUDGET.allConnectedMs) misses.push(`${size} hosts: all connected in ${ms(row.allConnected)} > ${BUDGET.allConnectedMs} ms`);
    if (row.probeRoundTripP95 > BUDGET.probeRoundTripP95Ms) misses.push(`${size} hosts: probe round trip p95 ${ms(row.probeRoundTripP95)} > ${BUDGET.probeRoundTripP95Ms} ms`);
  } finally {
    await closeSharedConnections(argvs, controlDir);
    await stopSimulatedFleet(fleet.dir, { controlStateDirs: [stateDir] });
    rmSync(stateDir, { recursive: true, force: true });
  }
}

console.log('fleet controller overhead per host (simulated namespace-hosts, Debian sshd, ssh with ControlMaster)\n');
console.log('hosts | first connect p50 | connect via master p50 / p95 | all hosts at once | probe round trip p50 / p95 (in agent p50) | first probe | clock ± max');
console.log('---|---|---|---|---|---|---');
for (const row of rows) {
  console.log(`${row.hosts} | ${ms(row.coldConnectP50)} | ${ms(row.warmConnectP50)} / ${ms(row.warmConnectP95)} | ${ms(row.allConnected)} | ${ms(row.probeRoundTripP50)} / ${ms(row.probeRoundTripP95)} (${ms(row.probeInAgentP50)}) | ${ms(row.firstProbeP50)} | ${ms(row.clockUncertaintyMax)}`);
}
console.log(`\nbudgets: connect via master p95 ≤ ${BUDGET.warmConnectP95Ms} ms, all hosts connected ≤ ${BUDGET.allConnectedMs} ms, probe round trip p95 ≤ ${BUDGET.probeRoundTripP95Ms} ms`);
if (misses.length > 0) {
  console.log(`\n✗ budget missed:\n  ${misses.join('\n  ')}`);
  process.exitCode = 1;
} else console.log('✓ every budget met');
