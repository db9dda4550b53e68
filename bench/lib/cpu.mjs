// faultline's own CPU while it samples a steady state of the reference orchestrator: the node process,
// its long-lived tmux control client, and any process a probe spawned; the tmux server's extra work
// (answering the queries) is printed apart, as a cost on the target.
import { readFileSync } from 'node:fs';
import { closeProbeSet, createProbeSet } from '../../dist/run/probe-set.js';
import { Sampler } from '../../dist/measure/sampler.js';
import { loadScenarios } from '../../dist/scenario/load.js';
import { startReference, stopReference } from '../../dist/targets/reference/index.js';
import { sleep } from '../../dist/util/clock.js';
import { printTable } from './figures.mjs';

const TICK_MS = 10; // USER_HZ = 100 on Linux
const SECONDS = Number(process.env.BENCH_CPU_SECONDS ?? 10);

/** The steady state of the pack's default scenarios (spof-001, corruption-001/002): the reference orchestrator is healthy. */
export const DEFAULT_STEADY_STATE = [
  { probe: 'tmux.session', session: 'tmux-orc' },
  { probe: 'tmux.window', session: 'tmux-orc', window: 0 },
  { probe: 'tmux.session', session: 'proj-a' },
  { probe: 'tmux.window', session: 'proj-a', window: 'Claude-Agent' },
  { probe: 'file.parses', path: 'config/orchestrator.conf', format: 'shell' },
];

function readTicks(pid, children = false) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    // utime stime cutime cstime are fields 14–17 of stat (11–14 after the command).
    return children ? Number(fields[13]) + Number(fields[14]) : Number(fields[11]) + Number(fields[12]);
  } catch {
    return 0;
  }
}

async function sampleFor(target, specs, seconds) {
  const probes = createProbeSet(specs, target, 50);
  let samples = 0;
  const sampler = new Sampler(probes, () => (samples += 1));
  sampler.start();
  await sleep(500);
  const helpers = probes[0].sources.getHelperPids();
  const serverPid = target.state.pids.tmuxServer;
  const before = { node: process.cpuUsage(), reaped: readTicks(process.pid, true), helpers: helpers.map((pid) => readTicks(pid)), server: readTicks(serverPid), at: performance.now(), samples };
  await sleep(seconds * 1000);
  const elapsed = performance.now() - before.at;
  const node = process.cpuUsage(before.node);
  const nodeMs = (node.user + node.system) / 1000;
  const helperMs = helpers.reduce((sum, pid, index) => sum + (readTicks(pid) - before.helpers[index]) * TICK_MS, 0);
  const reapedMs = (readTicks(process.pid, true) - before.reaped) * TICK_MS;
  const serverMs = (readTicks(serverPid) - before.server) * TICK_MS;
  const taken = samples - before.samples;
  await sampler.stop();
  await closeProbeSet(probes);
  const percent = (ms) => (100 * ms) / elapsed;
  return { nodePercent: percent(nodeMs), helperPercent: percent(helperMs), spawnedPercent: percent(reapedMs), totalPercent: percent(nodeMs + helperMs + reapedMs), serverPercent: percent(serverMs), samplesPerSecond: (1000 * taken) / elapsed };
}

/** Prints and returns the CPU figures of the default steady state (events on), then polled, then per default scenario. */
export async function measureCpu() {
  const target = await startReference({ heal: true });
  try {
    const rows = [];
    const event = await sampleFor(target, DEFAULT_STEADY_STATE, SECONDS);
    rows.push(['default steady state, events (5 probes)', event]);
    rows.push(['same, polled every 50 ms (events: false)', await sampleFor(target, DEFAULT_STEADY_STATE.map((spec) => ({ ...spec, events: false, intervalMs: 50 })), SECONDS)]);
    const scenarios = await loadScenarios(['scenarios'], { tags: ['default'] }).catch(() => []);
    for (const scenario of scenarios) {
      rows.push([`  scenario ${scenario.id} (${scenario.steadyState.map((spec) => spec.probe).join(', ')})`, await sampleFor(target, scenario.steadyState, Math.min(SECONDS, 2))]);
    }
    const format = (value) => value.toFixed(2);
    printTable(
      ['steady state', 'faultline %', 'node', 'tmux -C client', 'spawned', 'samples/s', 'tmux server % (target)'],
      rows.map(([name, figures]) => [name, format(figures.totalPercent), format(figures.nodePercent), format(figures.helperPercent), format(figures.spawnedPercent), figures.samplesPerSecond.toFixed(0), format(figures.serverPercent)]),
    );
    console.log(`(% of one core over ${SECONDS} s for the first two rows, 2 s per scenario; 'spawned' = processes the probes started, such as command probes and bash -n)`);
    return event;
  } finally {
    await stopReference(target.dir);
  }
}
