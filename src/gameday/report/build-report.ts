// The game-day report's content: plan, roles, hypotheses with verdicts, one timeline of every step
// (notes, halts, manual steps included) and per-scenario results — from the plan, the run's summary
// and its journal, nothing else.
import type { ScenarioSummary, Summary } from '../../analyse/summary-schema.js';
import type { JournalEvent } from '../../journal/events.js';
import type { Roles } from '../plan-schema.js';
import type { Plan } from '../read-plan.js';
import type { GameDayHistory } from '../../history/gameday-history.js';

/** A hypothesis and what the run says of it. */
export interface HypothesisResult {
  id: string;
  statement: string;
  scenarios: string[];
  /** held: every scenario passed; refuted: one failed (or is a known gap); untested: one did not run to a verdict. */
  verdict: 'held' | 'refuted' | 'untested';
  because: string;
}

/** One line of the timeline. */
export interface TimelineEntry {
  /** Epoch ms. */
  t: number;
  /** Since the run started, e.g. "+12.3 s". */
  at: string;
  kind: 'gameday' | 'step' | 'scenario' | 'fault' | 'measure' | 'note' | 'halt' | 'manual' | 'stop-condition' | 'error';
  text: string;
  who?: string;
}

/** The game-day report, as gameday.json holds it. */
export interface GameDayReport {
  schemaVersion: 1;
  kind: 'gameday-report';
  plan: { id: string; title: string; objective: string; file: string; target: string };
  roles: Roles;
  runId: string;
  startedAt: string;
  finishedAt: string;
  verdict: Summary['verdict'];
  exitCode: number;
  skipped?: string;
  halt?: { by: string; reason: string; at: string };
  hypotheses: HypothesisResult[];
  steps: { index: number; kind: string; name: string; outcome: string; durationMs: number | null }[];
  timeline: TimelineEntry[];
  scenarios: { id: string; title: string; verdict: string; recovered: string; ttdP95Ms: number | null; rtoP95Ms: number | null; reasons: string[] }[];
  /** From the history store (when there is one): earlier game days of the plan and the resilience score. */
  history?: GameDayHistory;
}

/** Builds the report of a finished (or killed) game day. */
export function buildGameDayReport(input: { id: string; file: string; plan: Plan; summary: Summary; journal: readonly JournalEvent[]; history?: GameDayHistory }): GameDayReport {
  const { plan, summary, journal } = input;
  const start = journal.find((event) => event.type === 'run.start')?.t ?? Date.parse(summary.startedAt);
  const halt = journal.find((event) => event.type === 'halt');
  const skipped = journal.find((event) => event.type === 'gameday.skipped');
  return {
    schemaVersion: 1,
    kind: 'gameday-report',
    plan: { id: input.id, title: plan.title, objective: plan.objective.trim(), file: input.file, target: plan.target },
    roles: plan.roles ?? {},
    runId: summary.runId,
    startedAt: summary.startedAt,
    finishedAt: summary.finishedAt,
    verdict: summary.verdict,
    exitCode: summary.exitCode,
    ...(skipped ? { skipped: String(skipped.reason) } : {}),
    ...(halt ? { halt: { by: String(halt.by), reason: String(halt.reason), at: new Date(halt.t).toISOString() } } : {}),
    hypotheses: plan.hypotheses.map((hypothesis) => judgeHypothesis(hypothesis, summary.scenarios)),
    steps: buildSteps(plan, journal),
    timeline: journal.flatMap((event) => describeEvent(event, start)),
    scenarios: summary.scenarios.map((scenario) => ({
      id: scenario.id,
      title: scenario.title,
      verdict: scenario.verdict,
      recovered: `${scenario.stats.recovered}/${scenario.runs.length}`,
      ttdP95Ms: scenario.stats.ttdMs?.p95 ?? null,
      rtoP95Ms: scenario.stats.rtoMs?.p95 ?? null,
      reasons: scenario.reasons ?? [],
    })),
    ...(input.history ? { history: input.history } : {}),
  };
}

function judgeHypothesis(hypothesis: Plan['hypotheses'][number], scenarios: readonly ScenarioSummary[]): HypothesisResult {
  const found = hypothesis.scenarios.map((id) => ({ id, scenario: scenarios.find((scenario) => scenario.id === id) }));
  const base = { id: hypothesis.id, statement: hypothesis.statement, scenarios: [...hypothesis.scenarios] };
  const refuting = found.filter(({ scenario }) => scenario?.verdict === 'fail' || scenario?.verdict === 'known-gap');
  if (refuting.length > 0) return { ...base, verdict: 'refuted', because: refuting.map(({ id, scenario }) => `${id} ${scenario!.verdict}${scenario!.reasons[0] ? ` (${scenario!.reasons[0]})` : ''}`).join('; ') };
  const untested = found.filter(({ scenario }) => !scenario || scenario.verdict !== 'pass');
  if (untested.length > 0) return { ...base, verdict: 'untested', because: untested.map(({ id, scenario }) => `${id} ${scenario ? scenario.verdict : 'did not run'}`).join('; ') };
  return { ...base, verdict: 'held', because: found.map(({ id }) => `${id} pass`).join('; ') };
}

function buildSteps(plan: Plan, journal: readonly JournalEvent[]): GameDayReport['steps'] {
  return plan.steps.map((step, index) => {
    const started = journal.find((event) => event.type === 'step.start' && event.index === index);
    const ended = journal.find((event) => event.type === 'step.end' && event.index === index);
    const name = String(started?.name ?? step.name ?? step.scenario ?? step.tag ?? (step.manual ? 'manual step' : 'pause'));
    const kind = step.manual ? 'manual' : step.pauseMs !== undefined ? 'pause' : 'scenarios';
    const outcome = ended ? String(ended.outcome) + (ended.by ? ` by ${String(ended.by)}` : '') : started ? 'interrupted' : 'not run';
    return { index, kind, name, outcome, durationMs: started && ended ? Math.round(ended.t - started.t) : null };
  });
}

const formatAt = (ms: number) => `+${(ms / 1000).toFixed(1)} s`;

// The events a person follows a game day by; probe samples and phases stay in the journal.
function describeEvent(event: JournalEvent, start: number): TimelineEntry[] {
  const entry = (kind: TimelineEntry['kind'], text: string, who?: string): TimelineEntry[] => [{ t: event.t, at: formatAt(event.t - start), kind, text, ...(who ? { who } : {}) }];
  const where = `${event.scenario ?? ''}${event.run !== undefined ? ` run ${event.run}` : ''}`;
  switch (event.type) {
    case 'gameday.start': return entry('gameday', `game day started: ${String(event.title)}`);
    case 'gameday.skipped': return entry('gameday', `skipped: ${String(event.reason)}`);
    case 'step.start': return entry(event.kind === 'manual' ? 'manual' : 'step', event.kind === 'manual' ? `step ${Number(event.index) + 1} (manual) ${String(event.name)}: ${String(event.instruction)} — waiting for continue` : `step ${Number(event.index) + 1} ${String(event.name)} started`);
    case 'step.end': return entry(event.kind === 'manual' ? 'manual' : 'step', `step ${Number(event.index) + 1} ${String(event.name)}: ${String(event.outcome)}`, typeof event.by === 'string' ? event.by : undefined);
    case 'scenario.start': return entry('scenario', `scenario ${String(event.scenario)} started (${String(event.title)})`);
    case 'scenario.end': return entry('scenario', `scenario ${String(event.scenario)}: ${String(event.verdict)}`);
    case 'fault.inject': return entry('fault', `${where}: ${String(event.fault)} injected`);
    case 'detect': return entry('measure', `${where}: detected after ${String(event.ttdMs)} ms by ${String(event.by)}`);
    case 'recover': return entry('measure', `${where}: recovered, RTO ${String(event.rtoMs)} ms`);
    case 'timeout': return entry('measure', `${where}: ${String(event.reason)}`);
    case 'fault.rollback': return entry('fault', `${where}: rollback ${event.ok ? 'verified' : `FAILED: ${String(event.detail)}`}`);
    case 'note': return entry('note', String(event.message), typeof event.author === 'string' ? event.author : undefined);
    case 'target.reset': return entry('note', String(event.message));
    case 'halt': return entry('halt', `halted: ${String(event.reason)}`, String(event.by));
    case 'stop-condition': return entry('stop-condition', `stop condition ${String(event.probe)} ${event.ok ? 'passes' : `FAILS${event.detail ? `: ${String(event.detail)}` : ''}`}`);
    case 'error': return entry('error', `${where ? `${where}: ` : ''}${String(event.message)}`);
    case 'run.end': return entry('gameday', `game day ended: ${String(event.verdict)} (exit ${String(event.exitCode)})`);
    default: return [];
  }
}
