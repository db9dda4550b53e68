// `faultline recover` for fleets: every host the controller's records say may hold open intents is
// reached again; its agent reports what its dead-man timer already rolled back, recovers what is still
// open, and the record is removed once the host's ledger is empty.
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { AgentStatus } from '../agent/protocol.js';
import { getErrorMessage } from '../errors.js';
import { isPidAlive } from '../util/pid.js';
import { AgentConnection } from './agent-connection.js';
import { FleetRecords, type FleetRecord } from './fleet-records.js';
import { closeSharedConnections } from './shared-connections.js';
import { getControlDir } from './ssh-command.js';

/** What recovering the fleet records did. */
export interface FleetRecoverReport {
  recovered: number;
  failed: number;
  skipped: number;
  lines: string[];
}

/** Recovers (or confirms clean) every host with a record in the state directory. */
export async function recoverFleetHosts(stateDir: string, options: { connectTimeoutMs?: number } = {}): Promise<FleetRecoverReport> {
  const records = new FleetRecords(stateDir);
  const report: FleetRecoverReport = { recovered: 0, failed: 0, skipped: 0, lines: [] };
  const { records: list, unreadable } = records.list();
  for (const file of unreadable) {
    report.failed += 1;
    report.lines.push(`⚠ fleet record ${file} is unreadable: check by hand which host it names`);
  }
  for (const record of list) {
    if (record.pid !== process.pid && isRunnerAlive(record.pid)) {
      report.skipped += 1;
      report.lines.push(`… host ${record.host} (${record.scenario}): left to the live run that drives it (pid ${record.pid})`);
      continue;
    }
    const outcome = await recoverHost(record, options.connectTimeoutMs ?? 30_000);
    report.lines.push(...outcome.lines);
    if (outcome.clean) {
      records.close(record);
      report.recovered += 1;
    } else report.failed += 1;
  }
  await closeSharedConnections(list.map((record) => record.argv), getControlDir(stateDir));
  return report;
}

async function recoverHost(record: FleetRecord, connectTimeoutMs: number): Promise<{ clean: boolean; lines: string[] }> {
  const what = `host ${record.host} (${record.scenario})`;
  const lines: string[] = [];
  let connection: AgentConnection | undefined;
  try {
    // The run that wrote the record may have removed its shared-connection folder when it ended.
    const controlPath = record.argv.find((arg) => arg.startsWith('ControlPath='));
    if (controlPath) mkdirSync(dirname(controlPath.slice('ControlPath='.length)), { recursive: true, mode: 0o700 });
    connection = await AgentConnection.connect(record.argv, { deadmanMs: 60_000, connectTimeoutMs, label: `host ${record.host}` });
    let status = (await connection.request('status', {}, 30_000)) as AgentStatus;
    // What the host's agent did on its own after this record's run lost its controller.
    for (const deadman of status.deadman.filter((entry) => entry.at >= record.createdAt)) {
      lines.push(`${deadman.failed === 0 ? '✓' : '✗'} ${what}: its agent rolled back on its own at ${deadman.at} (${deadman.reason}): ${deadman.lines.join('; ')}`);
    }
    if (status.openIntents.length > 0) {
      const recovered = (await connection.request('recover', {}, 300_000)) as { lines: string[] };
      for (const line of recovered.lines) lines.push(`  ${what}: ${line}`);
      status = (await connection.request('status', {}, 30_000)) as AgentStatus;
    }
    if (status.openIntents.length === 0) {
      lines.push(`✓ ${what}: clean — its ledger holds no open intent`);
      return { clean: true, lines };
    }
    lines.push(`✗ ${what}: ${status.openIntents.length} open intent(s) remain (${status.openIntents.map((intent) => intent.id).join(', ')}); if its agent is still rolling back, run recover again in a few seconds`);
    return { clean: false, lines };
  } catch (error) {
    lines.push(`✗ ${what}: not reached (${getErrorMessage(error)}); record kept: run recover again once it is reachable`);
    return { clean: false, lines };
  } finally {
    await connection?.close();
  }
}

// A live faultline process with that pid: its run still drives the host (recover leaves it alone).
function isRunnerAlive(pid: number): boolean {
  if (!isPidAlive(pid)) return false;
  try {
    return /faultline/.test(readFileSync(`/proc/${pid}/cmdline`, 'utf8'));
  } catch {
    return false;
  }
}
