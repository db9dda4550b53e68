// The targets plans are made against, found without changing anything of the user's: the fixed layout
// of a reference instance (a placeholder dir, or the --target-dir instance) or a target file — and,
// only when a fault's plan needs a live instance, a throwaway reference instance that is stopped again.
import { existsSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { RollbackError } from '../errors.js';
import type { Ledger } from '../run/ledger.js';
import type { Target } from '../targets/types.js';
import { getTargetKey } from '../targets/open-target.js';
import type { RecordedInstance, ReferenceTarget } from '../targets/reference/index.js';

/** A target to plan against, and how a real run would get it. */
export interface PlanTarget {
  target: Target;
  /** One line: what a run would start or use. */
  note: string;
  /** True for the placeholder: a plan that fails against it is retried on a throwaway instance. */
  placeholder: boolean;
}

/** Stand-in directory for a reference instance a run would create with mkdtemp. */
export const PLACEHOLDER_DIR_NAME = 'faultline-ref-XXXXXX';

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
    this.#throwaway ??= import('../targets/reference/index.js').then(({ startRecordedInstance, startReference }) =>
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
  if (spec !== 'reference') {
    const { openExternalTarget } = await import('../targets/external.js');
    const file = getTargetKey(spec, scenarioFile);
    const { target } = await openExternalTarget(file);
    return { target, placeholder: false, note: `external target ${target.name} (${file}); faultline starts nothing for it` };
  }
  const { describeReferenceTarget } = await import('../targets/reference/index.js');
  if (options.targetDir) {
    const dir = resolve(options.targetDir);
    const found = existsSync(join(dir, 'target.json'));
    return {
      target: describeReferenceTarget(dir),
      placeholder: false,
      note: found ? `the reference orchestrator in ${dir} (--target-dir)` : `--target-dir ${dir}: no reference orchestrator there (a run would stop with an error)`,
    };
  }
  const dir = join(realpathSync(tmpdir()), PLACEHOLDER_DIR_NAME);
  return { target: describeReferenceTarget(dir), placeholder: true, note: `a fresh reference orchestrator that a run would start in a new temp dir (shown as ${dir})` };
}
