// "System under test": what was tested and who heals it, versions, host load, when — the block at the top.
import type { Summary } from '../../analyse/summary-schema.js';
import { pluralize } from '../../util/plural.js';
import { formatDuration, formatTimestamp } from '../format.js';

/** One kind of target the run used, with who heals it. */
export interface TargetView {
  name: string;
  kind: string;
  healing: string;
  /** Whether faultline's own healer ran: the only case the report may say "healer on". */
  healerOn: boolean;
  instances: number;
}

// A reference target's healer settings as describe() records them: an object when on, false when off.
function describeHealer(heal: unknown): { healing: string; healerOn: boolean } {
  if (heal && typeof heal === 'object') {
    const { intervalMs, delayMs } = heal as { intervalMs?: number; delayMs?: number };
    const every = typeof intervalMs === 'number' ? `, checks every ${formatDuration(intervalMs)}` : '';
    const delay = typeof delayMs === 'number' && delayMs > 0 ? `, acts after a known delay of ${formatDuration(delayMs)}` : '';
    return { healing: `faultline’s reference healer (on${every}${delay})`, healerOn: true };
  }
  return { healing: 'nobody: faultline’s healer was off (as upstream, nothing repairs the orchestrator)', healerOn: false };
}

/** The targets of a run, one entry per distinct target (a bundled orchestrator started per scenario counts once). */
export function describeTargets(summary: Summary): TargetView[] {
  const byKey = new Map<string, TargetView>();
  for (const target of summary.targets) {
    // The target's driver (describe() names it); summaries written before drivers existed called it `kind`.
    const driver = target.driver ?? target.kind;
    const kind = typeof driver === 'string' ? driver : 'unknown';
    const name = typeof target.name === 'string' ? target.name : '';
    let view: Omit<TargetView, 'instances'>;
    if (kind === 'reference') {
      view = { name: 'reference orchestrator', kind: 'bundled with faultline (a tmux orchestrator modelled on Tmux-Orchestrator)', ...describeHealer(target.heal) };
    } else {
      const file = typeof target.file === 'string' ? ` (${target.file})` : '';
      // A target with switchable guardrails (the web stack) recovers by them, or not at all without them.
      const guardrails = target.guardrails === 'on' ? 'its own guardrails, on (the failure matrix’s proposed system: its supervisor restarts the API and scheduler; faultline heals nothing)' : target.guardrails === 'off' ? 'its guardrails off (the failure matrix’s current system: nothing restarts the API or scheduler)' : undefined;
      view = { name: name || kind, kind: kind === 'external' ? `external, described by a target file${file}` : kind, healing: guardrails ?? 'the target’s own mechanisms only: faultline heals nothing here', healerOn: false };
    }
    const key = `${view.name}|${view.kind}|${view.healing}`;
    const existing = byKey.get(key);
    if (existing) existing.instances += 1;
    else byKey.set(key, { ...view, instances: 1 });
  }
  return [...byKey.values()];
}

/** The banner's few words on healing: "healer on" only where faultline's healer ran. */
export function describeHealing(targets: readonly TargetView[]): string {
  if (targets.length === 0) return 'target not recorded';
  const words = [...new Set(targets.map((target) => (target.healerOn ? 'healer on' : target.name === 'reference orchestrator' ? 'healer off' : `${target.name}: its own healing`)))];
  return words.join(' · ');
}

// "1.23 / 0.98 / 0.51": the 1, 5 and 15 minute load averages.
const formatLoad = (load: readonly number[] | undefined) => (load && load.length > 0 ? load.map((value) => value.toFixed(2)).join(' / ') : '');

/** Rows of the block. */
export function buildSystemUnderTestView(summary: Summary) {
  const env = summary.environment;
  const targets = describeTargets(summary);
  const commit = env.scenariosCommit;
  const files = env.scenarioFiles?.length;
  const scenarios = pluralize(summary.scenarios.length, 'scenario');
  const load = env.loadAverage;
  const rows: { key: string; value: string }[] = [
    ...targets.map((target) => ({ key: 'Target', value: `${target.name}: ${target.kind}${target.instances > 1 ? ` — ${target.instances} instances, one per scenario` : ''}` })),
    ...(targets.length === 0 ? [{ key: 'Target', value: 'not recorded (the summary was rebuilt from the journal)' }] : []),
    { key: 'Healing', value: [...new Set(targets.map((target) => target.healing))].join('; ') || 'not recorded' },
    {
      key: 'Scenarios',
      value: `${scenarios}${files ? ` from ${pluralize(files, 'file')}` : ''}; ${commit ? `git commit ${commit.commit.slice(0, 12)}${commit.dirty ? ' with local changes to the scenario files' : ''}` : commit === null ? 'not in a git repository' : 'commit not recorded'}`,
    },
    { key: 'Versions', value: [`faultline ${env.faultline}`, `Node.js ${env.node}`, env.tmux ?? 'tmux not recorded', env.kernel ? `kernel ${env.kernel}` : 'kernel not recorded'].join(' · ') },
    {
      key: 'Host',
      value: [`${env.host} (${env.platform})`, env.cpus ? pluralize(env.cpus, 'core') : '', load ? `load average ${formatLoad(load.start)} at start${load.end ? `, ${formatLoad(load.end)} at end` : ''} (1 / 5 / 15 min)` : ''].filter(Boolean).join(' · '),
    },
    { key: 'When', value: `${formatTimestamp(summary.startedAt)} to ${formatTimestamp(summary.finishedAt)} (${formatDuration(summary.durationMs)})` },
    { key: 'Gate', value: summary.options.gate ? 'on: an expectation not met fails the run (exit 1)' : 'off: expectations are reported, the exit code stays 0' },
  ];
  return { rows, targets, healing: describeHealing(targets) };
}
