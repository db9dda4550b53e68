// The run summary folded from the event stream: the live run writes summary.json from this fold, and
// the same fold rebuilds the summary of a run killed before it wrote one (from its journal).
import { basename } from 'node:path';
import { summarizeScenarioHead } from '../analyse/summarize.js';
import type { RunSummary, ScenarioSummary, ScenarioVerdict, Summary, TargetSignal } from '../analyse/summary-schema.js';
import { countVerdicts } from '../analyse/verdict-counts.js';
import { summarizeFigures } from '../measure/stats.js';
import { getRunVerdict } from '../run/verdict.js';
import type { RunEvent, RunEventData, ScenarioHead } from './types.js';

/** Anything read back from a journal: typed events, or lines of an older faultline. */
export type LooseEvent = { t: number; type: string; scenario?: string; run?: number } & Record<string, unknown>;

const RUN_VERDICTS: readonly string[] = ['pass', 'fail', 'aborted', 'rollback-failed'];
const SCENARIO_VERDICTS: readonly string[] = ['pass', 'fail', 'known-gap', 'skipped', 'aborted', 'error'] satisfies ScenarioVerdict[];

interface FoldedScenario {
  id: string;
  head?: ScenarioHead;
  /** An older journal's scenario.start: no head, only its title, file and fault. */
  legacy?: LooseEvent;
  runs: RunSummary[];
  /** From scenario.start: what an unfinished repetition is recorded with. */
  timeoutMs?: number;
  signals: Map<number, TargetSignal[]>;
  configuration?: string;
  end?: LooseEvent;
}

/** Folds events one by one (a listener), or a whole journal (`foldRunEvents`). */
export class SummaryFold {
  #start: LooseEvent | undefined;
  #end: LooseEvent | undefined;
  readonly #scenarios = new Map<string, FoldedScenario>();
  readonly #targets: Record<string, unknown>[] = [];
  #interrupted = false;
  /** The repetition under way (a phase began, no run.result yet): a journal that ends here was killed during it. */
  #open: { scenario: FoldedScenario; run: number; t0?: number } | undefined;
  #last: number | undefined;

  onEvent(event: RunEvent | LooseEvent): void {
    const loose = event as LooseEvent;
    this.#last = loose.t;
    switch (loose.type) {
      case 'run.start': this.#start = loose; break;
      case 'run.end': this.#end = loose; break;
      case 'interrupted': case 'halt': this.#interrupted = true; break;
      case 'target.up': this.#targets.push(readTargetDescription(loose)); break;
      case 'scenario.start': {
        const id = String(loose.scenario);
        const head = loose.head as ScenarioHead | undefined;
        this.#scenarios.set(id, { id, ...(head ? { head } : { legacy: loose }), ...(typeof loose.timeoutMs === 'number' ? { timeoutMs: loose.timeoutMs } : {}), runs: [], signals: new Map() });
        break;
      }
      default: this.#onScenarioEvent(loose);
    }
  }

  #onScenarioEvent(event: LooseEvent): void {
    const scenario = event.scenario === undefined ? undefined : this.#scenarios.get(event.scenario);
    if (!scenario) return;
    if (event.type === 'target.signal' && typeof event.run === 'number') {
      const { t, type: _type, scenario: _scenario, run: _run, ...rest } = event;
      scenario.signals.set(event.run, [...(scenario.signals.get(event.run) ?? []), { t: Number(t), ...rest } as TargetSignal]);
    }
    if (event.type === 'run.result') {
      const { t: _t, type: _type, scenario: _scenario, run: _run, ...result } = event;
      const run = result as unknown as RunSummary;
      // Journals written before run.result carried its signals: they are the target.signal events before it.
      scenario.runs.push(Array.isArray(run.targetSignals) ? run : { ...run, targetSignals: scenario.signals.get(Number(event.run)) ?? [] });
      this.#open = undefined;
    }
    if (event.type === 'run.phase' && typeof event.run === 'number') this.#open = { scenario, run: event.run };
    if (event.type === 'fault.inject' && typeof event.t0 === 'number' && this.#open?.scenario === scenario) this.#open.t0 = event.t0;
    if (event.type === 'scenario.end') {
      scenario.end = event;
      if (typeof event.configuration === 'string') scenario.configuration = event.configuration;
    }
  }

  /** The summary of one scenario so far (its runs up to now). */
  getScenario(id: string): ScenarioSummary | undefined {
    const scenario = this.#scenarios.get(id);
    return scenario ? summarizeFolded(scenario) : undefined;
  }

  /** The run's summary: as the live run ends it (run.end seen), or as far as the events go (a killed run: aborted, exit 3). */
  getSummary(runDir?: string): Summary {
    const start = this.#start;
    const end = this.#end as (LooseEvent & Partial<RunEventData['run.end']>) | undefined;
    const open = end ? undefined : this.#open;
    const scenarios = [...this.#scenarios.values()].map((scenario) => summarizeFolded(open?.scenario === scenario ? { ...scenario, runs: [...scenario.runs, createKilledRun(open)] } : scenario));
    const startedAt = typeof start?.startedAt === 'string' ? start.startedAt : new Date(start?.t ?? 0).toISOString();
    const finishedAt = typeof end?.finishedAt === 'string' ? end.finishedAt : new Date(end?.t ?? this.#last ?? Date.parse(startedAt)).toISOString();
    const options = (start?.options ?? {}) as Partial<Summary['options']>;
    const killed = getRunVerdict(scenarios, { gate: options.gate ?? false, interrupted: true });
    const verdict = typeof end?.verdict === 'string' && RUN_VERDICTS.includes(end.verdict) ? end.verdict : killed.verdict;
    const environment = readEnvironment(start, end);
    const signOff = start?.signOff as Summary['signOff'] | undefined;
    return {
      $schema: '../../schemas/summary.schema.json',
      schemaVersion: 1,
      runId: typeof start?.runId === 'string' ? start.runId : basename(runDir ?? 'unknown'),
      verdict,
      exitCode: typeof end?.exitCode === 'number' ? end.exitCode : killed.exitCode,
      startedAt,
      finishedAt,
      durationMs: typeof end?.durationMs === 'number' ? end.durationMs : Date.parse(finishedAt) - Date.parse(startedAt),
      options: { heal: options.heal ?? true, gate: options.gate ?? false, ...(typeof options.healDelayMs === 'number' ? { healDelayMs: options.healDelayMs } : {}) },
      environment,
      ...(signOff && (signOff.preparedBy || signOff.reviewer) ? { signOff } : {}),
      targets: this.#targets,
      counts: countVerdicts(scenarios),
      scenarios,
    };
  }

  /** Whether the run was interrupted or halted (its verdict is then aborted). */
  get interrupted(): boolean {
    return this.#interrupted;
  }
}

// The repetition a killed run was in: recorded as aborted, as an interrupted live run records it; its
// fault was injected (t0 known) and never confirmed rolled back, so the ledger holds it for `faultline recover`.
function createKilledRun(open: { scenario: FoldedScenario; run: number; t0?: number }): RunSummary {
  const probes = open.scenario.head?.steadyStateProbes ?? 0;
  return {
    index: open.run, status: 'aborted', recovered: false, detected: false, ttdMs: null, rtoMs: null, resolutionMs: 0, ttdResolutionMs: null, rtoResolutionMs: null,
    timeoutMs: open.scenario.timeoutMs ?? 0, detectedBy: null, t0: open.t0 ?? null, inject: null, steadyStateProbes: probes, probesFailed: 0, dataLoss: null, rollback: null, targetSignals: [],
    reason: open.t0 === undefined ? 'killed: the journal ends during this run, before any fault acted' : 'killed: the journal ends during this run, after its fault acted (`faultline recover` undoes it)',
  };
}

/** Folds a whole journal into the summary it supports. */
export function foldRunEvents(events: Iterable<RunEvent | LooseEvent>, runDir?: string): Summary {
  const fold = new SummaryFold();
  for (const event of events) fold.onEvent(event);
  return fold.getSummary(runDir);
}

// target.up carries the description nested; older journals spread it among the event's own fields.
function readTargetDescription(event: LooseEvent): Record<string, unknown> {
  if (event.description !== null && typeof event.description === 'object') return event.description as Record<string, unknown>;
  const { t: _t, type: _type, scenario: _scenario, run: _run, ...rest } = event;
  return rest;
}

function readEnvironment(start: LooseEvent | undefined, end: (LooseEvent & Partial<RunEventData['run.end']>) | undefined): Summary['environment'] {
  const known = start?.environment as Summary['environment'] | undefined;
  if (!known) return { faultline: typeof start?.faultline === 'string' ? start.faultline : 'unknown', node: 'unknown', host: 'unknown (rebuilt from the journal)', platform: 'unknown' };
  const loadStart = known.loadAverage?.start;
  if (!loadStart) return known;
  return { ...known, loadAverage: Array.isArray(end?.loadAverageEnd) ? { start: loadStart, end: end.loadAverageEnd } : { start: loadStart } };
}

function summarizeFolded(scenario: FoldedScenario): ScenarioSummary {
  const options = scenario.configuration ? { configuration: scenario.configuration } : {};
  if (scenario.head) return summarizeScenarioHead(scenario.head, scenario.runs, options);
  return summarizeLegacy(scenario);
}

// A journal without scenario heads (written by an older faultline): what its events logged, no FMEA rows or expectations.
function summarizeLegacy(scenario: FoldedScenario): ScenarioSummary {
  const event = scenario.legacy ?? ({} as LooseEvent);
  const end = scenario.end;
  const completed = scenario.runs.filter((run) => run.status === 'completed');
  const fault = typeof event.fault === 'object' && event.fault !== null ? event.fault as ScenarioSummary['fault'] : { type: 'unknown' };
  return {
    id: scenario.id,
    title: typeof event.title === 'string' ? event.title : scenario.id,
    file: typeof event.file === 'string' ? event.file : '',
    verdict: typeof end?.verdict === 'string' && SCENARIO_VERDICTS.includes(end.verdict) ? end.verdict as ScenarioVerdict : 'aborted',
    reasons: Array.isArray(end?.reasons) ? end.reasons.filter((reason): reason is string => typeof reason === 'string') : [],
    ...(scenario.configuration ? { configuration: scenario.configuration } : {}),
    fault,
    resolutionMs: Math.max(0, ...completed.map((run) => run.resolutionMs ?? 0)),
    steadyStateProbes: Math.max(0, ...scenario.runs.map((run) => run.steadyStateProbes ?? 0)),
    expect: {},
    checks: Array.isArray(end?.checks) ? end.checks as ScenarioSummary['checks'] : [],
    fmea: null,
    runs: scenario.runs,
    stats: {
      ttdMs: summarizeFigures(completed.map((run) => run.ttdMs)),
      rtoMs: summarizeFigures(completed.map((run) => run.rtoMs)),
      recovered: completed.filter((run) => run.recovered).length,
      completed: completed.length,
    },
  };
}
