// `faultline recover`: undoes every open intent in the ledger (faults first, then targets) — except
// those of a target a live run holds (its lock): that run still needs them and rolls back by itself.
import { readFileSync, rmSync } from 'node:fs';
import { getFaultDefinition } from '../faults/registry.js';
import { getErrorMessage } from '../errors.js';
import { isPidAlive } from '../util/pid.js';
import { getTargetDriver, normalizeDescriptor } from '../targets/drivers/registry.js';
import { describeQuarantined, type Intent, type Ledger } from './ledger.js';
import { combineTargetLocks, describeHolder, getTargetLockKeys, tryTargetLocks, type TargetLock, type TargetLockHolder } from './target-lock.js';

/** What recover did. */
export interface RecoverReport {
  recovered: number;
  failed: number;
  /** Intents left alone because a live run holds their target. */
  skipped: number;
  lines: string[];
}

/** Undoes one intent; true when verified. */
async function recoverIntent(intent: Intent): Promise<{ ok: boolean; detail: string }> {
  const descriptor = normalizeDescriptor(intent.target);
  const driver = getTargetDriver(descriptor.driver);
  if (intent.kind === 'target') {
    const result = await driver.recoverTarget(descriptor);
    if (!result.ok || !intent.recordFile || !('dir' in descriptor)) return result;
    const notes: string[] = [];
    removeRecordNaming(intent.recordFile, descriptor.dir, notes);
    return { ok: true, detail: [result.detail, ...notes].join('; ') };
  }
  if (!intent.fault || !intent.state || !intent.stateDir) return { ok: true, detail: 'the fault never acted (no saved state)' };
  const definition = getFaultDefinition(intent.fault.type);
  const target = await driver.openForRecovery(descriptor);
  return definition.rollback(intent.fault, { target, stateDir: intent.stateDir }, intent.state);
}

// `target up` records the instance it starts; a start that recover undoes must not stay recorded.
function removeRecordNaming(recordFile: string, dir: string, notes: string[]): void {
  try {
    if (readFileSync(recordFile, 'utf8').trim() !== dir) return;
  } catch {
    return;
  }
  rmSync(recordFile, { force: true });
  notes.push(`removed ${recordFile}, which named it`);
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

/**
 * The locks of the targets intents name, taken one target at a time as recover reaches it: a target
 * it cannot lock is held by a live run, whose intents are not touched (not even with --force).
 */
class IntentLocks {
  readonly #held = new Map<string, TargetLock | { holder: TargetLockHolder | undefined }>();

  /** Undefined when this process now holds the intent's target; the holder when a live process does. */
  async lock(intent: Intent): Promise<{ holder: TargetLockHolder | undefined } | undefined> {
    const keys = await getTargetLockKeys(intent.target);
    const key = keys.join('\n');
    if (!this.#held.has(key)) {
      const attempt = await tryTargetLocks(keys, 'recover');
      this.#held.set(key, 'locks' in attempt ? combineTargetLocks(attempt.locks) : { holder: attempt.holder });
    }
    const entry = this.#held.get(key)!;
    // Held by this very process (a library caller that kept its own instance's lock): its caller asked.
    return 'release' in entry || entry.holder?.pid === process.pid ? undefined : entry;
  }

  releaseAll(): void {
    for (const entry of this.#held.values()) if ('release' in entry) entry.release();
    this.#held.clear();
  }
}

/**
 * Rolls back every open intent whose target no live run holds; closes those whose rollback is
 * verified. `force` also undoes intents whose recorded pid is a live faultline process that does not
 * hold their target (a recycled pid, a hung run that let go of it) — never a target a live run holds.
 */
export async function recoverIntents(ledger: Ledger, options: { force?: boolean } = {}): Promise<RecoverReport> {
  const report: RecoverReport = { recovered: 0, failed: 0, skipped: 0, lines: [] };
  const read = ledger.readIntents();
  for (const file of read.quarantined) {
    report.failed += 1;
    report.lines.push(`⚠ ${describeQuarantined(file)}`);
  }
  const intents = read.intents.sort((a, b) => Number(a.kind === 'target') - Number(b.kind === 'target'));
  const locks = new IntentLocks();
  try {
    for (const intent of intents) {
      const busy = await locks.lock(intent);
      if (busy) {
        report.skipped += 1;
        report.lines.push(`… ${intent.id}: left to the live run that holds its target (${describeHolder(busy.holder)}); it rolls back by itself — stop it first (Ctrl-C) to recover now`);
        continue;
      }
      if (!options.force && isRunnerAlive(intent.pid)) {
        report.failed += 1;
        report.lines.push(`… ${intent.id}: its process (pid ${intent.pid}) is alive but does not hold the target — if that pid is no longer its run, pass --force`);
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
  } finally {
    locks.releaseAll();
  }
  for (const path of ledger.removeOrphans()) report.lines.push(`✓ removed ${path}: left by a process killed before its intent was written`);
  if (report.lines.length === 0) report.lines.push('nothing to recover: the ledger has no open intents');
  return report;
}
