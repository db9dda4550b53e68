// Options of startReference: defaults and validation (messages name the option, the value and the fix).
import { InputError } from '../../errors.js';
import { isValidProjectName } from './config-file.js';
import { ORCHESTRATOR_SESSION } from './paths.js';
import type { ResolvedReferenceOptions } from './state.js';
import { UID_BASE, UID_SPAN, isReservedUid } from './uid-range.js';

/** How to start a reference orchestrator; every field is optional. */
export interface ReferenceOptions {
  /** Instance directory; default a fresh mkdtemp under the OS temp dir (removed again on stop). */
  dir?: string;
  /**
   * faultline chose `dir` (chooseInstanceDir) and recorded it before starting: start creates it and
   * stop removes it, like a temp dir. Default: true without `dir`, false with one.
   */
  ownsDir?: boolean;
  /** Run the healer (default true); false behaves like upstream Tmux-Orchestrator: nothing recovers. */
  heal?: boolean;
  /** Known delay between a detection and its repair (default 0). */
  healDelayMs?: number;
  /** How often the healer checks (default 100). */
  healIntervalMs?: number;
  /** Project sessions besides tmux-orc (default ["proj-a"]). */
  projects?: string[];
  /** Size of the data area (tmpfs as root, else a byte budget), default 64. */
  dataSizeMiB?: number;
  /** Scheduler check-in interval (default 2000). */
  checkinIntervalMs?: number;
  /** orchestrator.log size that triggers rotation (default 1 MiB). */
  logMaxBytes?: number;
  /** Temp files allowed in tmp/ before the oldest are pruned (default 100). */
  tmpMaxFiles?: number;
  /** As root: RLIMIT_NPROC of the instance's dedicated uid, counted in threads (default 128). */
  processBudget?: number;
  /** As root: resident memory of the dedicated uid above which the healer reaps stray processes (default 512). */
  memoryBudgetMiB?: number;
  /**
   * As root: the uid to run as (default: an unused one picked for this instance; 0 = stay root, no budget).
   * Only 0 or a uid of the reserved range 600000–699999 is accepted: the healer reaps processes of this uid
   * outside the orchestrator's tree and stop kills what is left of it, which must never reach an account's processes.
   */
  runAsUid?: number;
}

/** Defaults of every option but `dir`. */
export const DEFAULT_REFERENCE_OPTIONS: ResolvedReferenceOptions = {
  heal: true,
  healDelayMs: 0,
  healIntervalMs: 100,
  projects: ['proj-a'],
  dataSizeMiB: 64,
  checkinIntervalMs: 2000,
  logMaxBytes: 1024 * 1024,
  tmpMaxFiles: 100,
  processBudget: 128,
  memoryBudgetMiB: 512,
};

const LIMITS: Record<'healDelayMs' | 'healIntervalMs' | 'dataSizeMiB' | 'checkinIntervalMs' | 'logMaxBytes' | 'tmpMaxFiles' | 'processBudget' | 'memoryBudgetMiB', [number, number]> = {
  healDelayMs: [0, 600_000],
  healIntervalMs: [10, 60_000],
  dataSizeMiB: [1, 4096],
  checkinIntervalMs: [50, 3_600_000],
  logMaxBytes: [1024, 1024 ** 3],
  tmpMaxFiles: [1, 1_000_000],
  // The orchestrator itself uses ~40 threads; fewer leaves it no room to start.
  processBudget: [64, 65_536],
  memoryBudgetMiB: [64, 1_048_576],
};

/** Applies defaults and checks every option; throws InputError listing all problems. */
export function resolveReferenceOptions(options: ReferenceOptions = {}): ResolvedReferenceOptions {
  const resolved: ResolvedReferenceOptions = { ...DEFAULT_REFERENCE_OPTIONS, projects: [...DEFAULT_REFERENCE_OPTIONS.projects] };
  const problems: string[] = [];
  if (options.heal !== undefined) {
    if (typeof options.heal === 'boolean') resolved.heal = options.heal;
    else problems.push(`heal: expected true or false, got ${JSON.stringify(options.heal)}`);
  }
  for (const key of Object.keys(LIMITS) as Array<keyof typeof LIMITS>) {
    const value = options[key];
    if (value === undefined) continue;
    const [min, max] = LIMITS[key];
    if (typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max) resolved[key] = value;
    else problems.push(`${key}: expected an integer from ${min} to ${max}, got ${JSON.stringify(value)} (${typeof value})`);
  }
  if (options.runAsUid !== undefined) {
    const uid = options.runAsUid;
    if (uid === 0 || isReservedUid(uid)) resolved.runAsUid = uid;
    else {
      problems.push(
        `runAsUid: expected 0 (stay root) or a uid from ${UID_BASE} to ${UID_BASE + UID_SPAN - 1}, got ${JSON.stringify(uid)} ` +
          "(the healer and stop kill this uid's stray processes, so it must not be an account's; leave it out to get a free one)",
      );
    }
  }
  if (options.projects !== undefined) {
    const projects = Array.isArray(options.projects) ? options.projects : [];
    const bad = projects.filter((name) => typeof name !== 'string' || !isValidProjectName(name) || name === ORCHESTRATOR_SESSION);
    if (!Array.isArray(options.projects) || bad.length > 0 || new Set(projects).size !== projects.length || projects.length > 8) {
      problems.push(`projects: expected up to 8 distinct names of letters, digits, "-" or "_" (not "${ORCHESTRATOR_SESSION}"), got ${JSON.stringify(options.projects)}`);
    } else resolved.projects = [...projects];
  }
  if (problems.length > 0) {
    throw new InputError(`invalid reference target options: ${problems.join('; ')}`, { problems, hint: 'see `faultline target up --help` for the accepted values' });
  }
  return resolved;
}
