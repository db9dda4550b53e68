// The targets plans are made against, found without changing anything of the user's: the fixed layout
// of a reference instance (a placeholder dir, or the --target-dir instance) or a target file — and,
// only when a fault's plan needs a live instance, a throwaway reference instance that is stopped again.
import { RollbackError } from '../errors.js';
import type { Ledger } from '../run/ledger.js';
import { selectTargetDriver } from '../targets/drivers/registry.js';
import type { PlanTarget } from '../targets/drivers/types.js';
import { getTargetKey } from '../targets/open-target.js';
import type { ReferenceTarget } from '../targets/reference/index.js';
import type { RecordedInstance } from '../targets/drivers/reference-recorded-start.js';

export type { PlanTarget };
export { PLACEHOLDER_DIR_NAME } from '../targets/drivers/reference.js';

/** Where plans are made: a --target-dir instance, and the ledger that records a throwaway instance. */
export interface PlanTargetOptions {
  targetDir?: string;
  /** Records the throwaway instance while it runs, so `faultline recover` stops it after a crash. */
  ledger?: Ledger;
  /** Aborts planning (SIGINT/SIGTERM): a throwaway instance is stopped and the planner throws an AbortError. */
  signal?: AbortSignal;
}

/** Opens plan targets once per run of the planner; close() stops the throwaway instance if one was started. */
export class PlanTargets {
  readonly #targets = new Map<string, Promise<PlanTarget>>();
  #throwaway: Promise<RecordedInstance<ReferenceTarget>> | undefined;

  constructor(private readonly options: PlanTargetOptions = {}) {}

  /** The target a scenario names, as a run would reach it; nothing is started. */
  open(spec: string, scenarioFile: string): Promise<PlanTarget> {
    const key = getTargetKey(spec, scenarioFile);
    if (!this.#targets.has(key)) this.#targets.set(key, openPlanTarget(spec, scenarioFile, this.options));
    return this.#targets.get(key)!;
  }

  /** A live reference instance (healer off) in a temp dir, started once, for plans that read live state. */
  async openThrowaway(): Promise<PlanTarget> {
    // Recorded before it starts (as a run's targets are), so a crash during start leaves nothing `recover` cannot find.
    this.#throwaway ??= Promise.all([import('../targets/reference/index.js'), import('../targets/drivers/reference-recorded-start.js')]).then(([{ startReference }, { startRecordedInstance }]) =>
      startRecordedInstance({ ledger: this.options.ledger, id: `plan-${process.pid}-${Date.now()}-target`, runId: 'plan', scenario: 'plan' }, (dir) =>
        startReference({ heal: false, dir, ownsDir: true }),
      ),
    );
    const { value: target } = await this.#throwaway;
    return { target, placeholder: false, note: `a throwaway reference orchestrator in ${target.home} (started for this plan and stopped again; a run starts its own)` };
  }

  /** Stops the throwaway instance, if any; throws when something of it survived (its intent is then kept). */
  async close(): Promise<void> {
    const throwaway = this.#throwaway;
    this.#throwaway = undefined;
    const started = await throwaway?.catch(() => undefined);
    if (!started) return;
    const report = await started.stop();
    if (!report.complete) {
      throw new RollbackError(`the throwaway reference orchestrator in ${started.dir} could not be stopped completely: still running: ${report.left.join('; ')}`, {
        hint: this.options.ledger ? 'run `faultline recover` once they are gone (its intent is kept)' : `run \`faultline target down --dir ${started.dir}\` once they are gone`,
      });
    }
  }
}

async function openPlanTarget(spec: string, scenarioFile: string, options: { targetDir?: string }): Promise<PlanTarget> {
  const { driver, file } = await selectTargetDriver(spec, scenarioFile);
  return driver.openForPlan(file, options);
}
