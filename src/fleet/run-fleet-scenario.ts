// A fleet scenario: its hosts chosen (blast radius), run batch by batch (`serial`), each host by its own
// agent over ssh against its own target, until more than `maxFailures` hosts failed. The hosts' journal
// events are merged into this run's journal on the controller's clock; a host whose connection is lost
// mid-fault is recorded as such, and its agent rolls back by itself.
import { randomUUID } from 'node:crypto';
import type { RunSummary } from '../analyse/summary-schema.js';
import type { AgentRunResult, AgentStatus } from '../agent/protocol.js';
import { getErrorMessage } from '../errors.js';
import type { RunEventStream } from '../events/stream.js';
import type { Scenario } from '../scenario/types.js';
import { AgentConnection, type ClockOffset } from './agent-connection.js';
import { planFleetHosts, toAgentScenario, type FleetHost } from './fleet-hosts.js';
import { FleetRecords } from './fleet-records.js';
import { placeRemoteEvent, placeRemoteRun } from './remote-figures.js';
import { getControlDir } from './ssh-command.js';
import { closeSharedConnections } from './shared-connections.js';

/** What a fleet scenario needs from the run around it. */
export interface FleetRunContext {
  runId: string;
  /** The run's event stream: host events go into its journal. */
  events: RunEventStream;
  signal: AbortSignal;
  /** The controller's state directory (its ledger's): fleet records and shared ssh connections live beside it. */
  stateDir: string;
}

/** What one host's part of the scenario gave. */
interface HostOutcome {
  runs: RunSummary[];
  failed: boolean;
}

/** Every host's runs of a fleet scenario, numbered as the scenario's, and the configuration they ran in. */
export interface FleetScenarioRuns {
  runs: RunSummary[];
  configuration: string;
}

/** Runs the scenario on its chosen hosts; the caller records each host's runs as the scenario's (run.result events). */
export async function runFleetScenario(scenario: Scenario, context: FleetRunContext): Promise<FleetScenarioRuns> {
  const { events } = context;
  const controlDir = getControlDir(context.stateDir);
  const plan = planFleetHosts(scenario, controlDir);
  const spec = scenario.hosts!;
  events.emit('host.select', { scenario: scenario.id, inventory: plan.inventory.source, group: plan.group, hosts: plan.hosts.map((host) => host.name), batches: plan.batches, pick: spec.pick ?? 'first', ...(spec.seed !== undefined ? { seed: spec.seed } : {}), ...(scenario.maxFailures !== undefined ? { maxFailures: scenario.maxFailures } : {}) });
  const byName = new Map(plan.hosts.map((host) => [host.name, host]));
  const runs: RunSummary[] = [];
  let failures = 0;
  try {
    for (const [index, batch] of plan.batches.entries()) {
      if (context.signal.aborted) break;
      if (scenario.maxFailures !== undefined && failures > scenario.maxFailures) {
        for (const name of batch) {
          events.emit('host.skip', { scenario: scenario.id, host: name, batch: index + 1, reason: `${failures} hosts failed, more than maxFailures ${scenario.maxFailures}: not attempted` });
          runs.push(createHostRun(scenario, name, 'skipped', `not attempted: ${failures} hosts had failed (maxFailures ${scenario.maxFailures})`));
        }
        continue;
      }
      const outcomes = await Promise.all(batch.map((name) => runOnHost(scenario, byName.get(name)!, context)));
      for (const outcome of outcomes) {
        runs.push(...outcome.runs);
        if (outcome.failed) failures += 1;
      }
    }
  } finally {
    await closeSharedConnections(plan.hosts.map((host) => host.argv), controlDir);
  }
  const numbered = runs.map((run, index) => ({ ...run, index: index + 1 }));
  return { runs: numbered, configuration: `fleet of ${plan.hosts.length} host${plan.hosts.length === 1 ? '' : 's'} (${plan.group} in ${plan.inventory.source})` };
}

// One host: connect (version check, clock offset), record it, run, confirm its ledger is empty.
async function runOnHost(scenario: Scenario, host: FleetHost, context: FleetRunContext): Promise<HostOutcome> {
  const { events } = context;
  const base = { scenario: scenario.id, host: host.name };
  const records = new FleetRecords(context.stateDir);
  let clock: ClockOffset | undefined;
  let connection: AgentConnection;
  try {
    connection = await AgentConnection.connect(host.argv, {
      deadmanMs: scenario.hosts?.deadmanMs ?? 10_000,
      connectTimeoutMs: scenario.hosts?.connectTimeoutMs ?? 30_000,
      label: `host ${host.name}`,
      onEvent: (event) => events.emit('host.event', { scenario: scenario.id, ...placeRemoteEvent(event.data, host.name, clock) }),
    });
  } catch (error) {
    events.emit('error', { ...base, message: `could not reach its agent: ${getErrorMessage(error)}` });
    return { runs: [createHostRun(scenario, host.name, 'error', `could not reach its agent: ${getErrorMessage(error)}`)], failed: true };
  }
  clock = connection.clock;
  events.emit('host.connect', { ...base, address: host.host.vars.ansible_host ?? host.name, connectMs: connection.connectMs, agent: { version: connection.hello.version, pid: connection.hello.pid, host: connection.hello.host, stateDir: connection.hello.stateDir, deadmanMs: connection.hello.deadmanMs }, clock });
  const record = { id: `${context.runId}-${scenario.id}-${host.name}-${randomUUID().slice(0, 8)}`, host: host.name, argv: host.argv, runId: context.runId, scenario: scenario.id, createdAt: new Date().toISOString(), pid: process.pid };
  records.open(record);
  // Ctrl-C of the controller: closing the channel is what tells the agent to roll back now.
  const onAbort = () => void connection.close(1_000);
  context.signal.addEventListener('abort', onAbort, { once: true });
  try {
    const result = (await connection.request('run', { scenario: toAgentScenario(scenario, host.target) })) as AgentRunResult;
    const runs = result.summary.runs.map((run) => placeRemoteRun(run, host.name, clock!));
    const status = (await connection.request('status', {}, 30_000)) as AgentStatus;
    if (status.openIntents.length === 0) records.close(record);
    else events.emit('note', { ...base, message: `host ${host.name} still holds ${status.openIntents.length} open intent(s) (${status.openIntents.map((intent) => intent.id).join(', ')}): run \`faultline recover\`` });
    events.emit('host.result', { ...base, verdict: result.summary.verdict, runDir: result.runDir, runs: runs.length, openIntents: status.openIntents.length });
    const failed = result.summary.verdict !== 'pass' && result.summary.verdict !== 'known-gap';
    return { runs, failed };
  } catch (error) {
    const lost = connection.lostReason;
    if (lost !== undefined) {
      const message = `the connection to ${host.name} was lost mid-run (${lost}); its agent rolls back by itself when it sees the channel close, or within its dead-man timer (${connection.hello.deadmanMs} ms) if nothing closes it — run \`faultline recover\` to confirm the host is clean`;
      events.emit('host.lost', { ...base, reason: lost, deadmanMs: connection.hello.deadmanMs, message });
      return { runs: [createHostRun(scenario, host.name, context.signal.aborted ? 'aborted' : 'error', message, clock)], failed: true };
    }
    events.emit('error', { ...base, message: getErrorMessage(error) });
    // The agent refused before acting (a guard, open intents of an earlier run): nothing of this run is in effect there.
    records.close(record);
    return { runs: [createHostRun(scenario, host.name, 'error', getErrorMessage(error), clock)], failed: true };
  } finally {
    context.signal.removeEventListener('abort', onAbort);
    await connection.close();
  }
}

// A host's run that measured nothing: not attempted, not reached, or lost.
function createHostRun(scenario: Scenario, host: string, status: RunSummary['status'], reason: string, clock?: ClockOffset): RunSummary {
  return {
    index: 1, status, recovered: false, detected: false, ttdMs: null, rtoMs: null, resolutionMs: clock?.uncertaintyMs ?? 0, ttdResolutionMs: null, rtoResolutionMs: null,
    timeoutMs: scenario.timeoutMs, detectedBy: null, t0: null, steadyStateProbes: scenario.steadyState.length, probesFailed: 0, dataLoss: null, rollback: null, targetSignals: [], reason, host,
    ...(clock ? { clock: { offsetMs: clock.offsetMs, uncertaintyMs: clock.uncertaintyMs } } : {}),
  };
}
