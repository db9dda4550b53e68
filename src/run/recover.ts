// `faultline recover`: undoes every open intent in the ledger (faults first, then targets).
import { readFileSync } from 'node:fs';
import { getFaultDefinition } from '../faults/registry.js';
import { getErrorMessage } from '../errors.js';
import { isPidAlive } from '../util/pid.js';
import { getTargetDriver, normalizeDescriptor } from '../targets/drivers/registry.js';
import type { Intent, Ledger } from './ledger.js';

/** What recover did. */
export interface RecoverReport {
  recovered: number;
  failed: number;
  lines: string[];
}

/** Undoes one intent; true when verified. */
async function recoverIntent(intent: Intent): Promise<{ ok: boolean; detail: string }> {
  const descriptor = normalizeDescriptor(intent.target);
  const driver = getTargetDriver(descriptor.driver);
  if (intent.kind === 'target') return driver.recoverTarget(descriptor);
  if (!intent.fault || !intent.state || !intent.stateDir) return { ok: true, detail: 'the fault never acted (no saved state)' };
  const definition = getFaultDefinition(intent.fault.type);
  const target = await driver.openForRecovery(descriptor);
  return definition.rollback(intent.fault as never, { target, stateDir: intent.stateDir }, intent.state);
}

/** True when `pid` is another live faultline process (its run would still roll back by itself). */
function isRunnerAlive(pid: number): boolean {
  if (pid === process.pid || !isPidAlive(pid)) return false;
  try {
    return /faultline/.test(readFileSync(`/proc/${pid}/cmdline`, 'utf8'));
  } catch {
    return false;
  }
}

/** Rolls back every open intent; closes those whose rollback is verified. */
export async function recoverIntents(ledger: Ledger, options: { force?: boolean } = {}): Promise<RecoverReport> {
  const intents = ledger.list().sort((a, b) => Number(a.kind === 'target') - Number(b.kind === 'target'));
  const report: RecoverReport = { recovered: 0, failed: 0, lines: [] };
  for (const intent of intents) {
    if (!options.force && isRunnerAlive(intent.pid)) {
      report.failed += 1;
      report.lines.push(`… ${intent.id}: its run (pid ${intent.pid}) is still going — stop it (Ctrl-C rolls back) or pass --force`);
      continue;
    }
    let outcome: { ok: boolean; detail: string };
    try {
      outcome = await recoverIntent(intent);
    } catch (error) {
      outcome = { ok: false, detail: getErrorMessage(error) };
    }
    const what = intent.kind === 'fault' ? `${intent.fault?.type} (${intent.scenario ?? '?'})` : `target of ${intent.scenario ?? intent.runId}`;
    if (outcome.ok) {
      ledger.close(intent);
      report.recovered += 1;
      report.lines.push(`✓ ${what}: ${outcome.detail}`);
    } else {
      report.failed += 1;
      report.lines.push(`✗ ${what}: ${outcome.detail} (intent kept: ${intent.id})`);
    }
  }
  if (intents.length === 0) report.lines.push('nothing to recover: the ledger has no open intents');
  return report;
}
