// The plan of a fleet scenario: which hosts its fault would touch (the same choice the run makes), and
// on each, what its agent says the fault would touch there and which guards pass — touching nothing.
import { relative } from 'node:path';
import type { AgentStatus } from '../agent/protocol.js';
import { getErrorMessage } from '../errors.js';
import type { Scenario } from '../scenario/types.js';
import { AgentConnection } from './agent-connection.js';
import { planFleetHosts, toAgentScenario } from './fleet-hosts.js';
import { closeSharedConnections } from './shared-connections.js';
import { getControlDir } from './ssh-command.js';

/** What one host would see. */
export interface HostPlan {
  name: string;
  address: string;
  target: string;
  batch: number;
  touches: string[];
  guards: string[];
  /** Open intents an earlier run left on the host (the run refuses until `faultline recover`). */
  openIntents: number;
  problem?: string;
}

/** A fleet scenario's plan: the chosen hosts, their batches, and each host's own plan. */
export interface FleetScenarioPlan {
  inventory: string;
  group: string;
  batches: string[][];
  hosts: HostPlan[];
}

/** Plans the scenario on each chosen host through its agent (`plan`: guards only, nothing touched). */
export async function planFleetScenario(scenario: Scenario, stateDir: string): Promise<FleetScenarioPlan> {
  const controlDir = getControlDir(stateDir);
  const plan = planFleetHosts(scenario, controlDir);
  const batchOf = new Map(plan.batches.flatMap((batch, index) => batch.map((name) => [name, index + 1] as const)));
  try {
    const hosts = await Promise.all(plan.hosts.map(async (host): Promise<HostPlan> => {
      const entry: HostPlan = { name: host.name, address: host.host.vars.ansible_host ?? host.name, target: host.target, batch: batchOf.get(host.name) ?? 0, touches: [], guards: [], openIntents: 0 };
      let connection: AgentConnection | undefined;
      try {
        connection = await AgentConnection.connect(host.argv, { deadmanMs: scenario.hosts?.deadmanMs ?? 10_000, connectTimeoutMs: scenario.hosts?.connectTimeoutMs ?? 30_000, label: `host ${host.name}` });
        const hostPlan = (await connection.request('plan', { scenario: toAgentScenario(scenario, host.target) }, 60_000)) as { fault: { touches: string[]; guards: string[] }; problem?: string };
        entry.touches = hostPlan.fault.touches;
        entry.guards = hostPlan.fault.guards;
        if (hostPlan.problem) entry.problem = hostPlan.problem;
        entry.openIntents = ((await connection.request('status', {}, 30_000)) as AgentStatus).openIntents.length;
      } catch (error) {
        entry.problem = getErrorMessage(error);
      } finally {
        await connection?.close();
      }
      return entry;
    }));
    return { inventory: relative(process.cwd(), plan.inventory.source) || plan.inventory.source, group: plan.group, batches: plan.batches, hosts };
  } finally {
    await closeSharedConnections(plan.hosts.map((host) => host.argv), controlDir);
  }
}
