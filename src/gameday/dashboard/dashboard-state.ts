// What the live dashboard shows, folded from the run's events: the plan's steps, the current step,
// scenario and phase, each probe's live state, TTD and RTO as measured, notes, halts, a waiting manual step.
import type { RunEvent, RunPhase } from '../../events/types.js';

/** A probe as last seen. */
export interface ProbeState {
  name: string;
  ok: boolean;
  detail?: string;
  /** Epoch ms of the event that said so. */
  t: number;
}

/** The dashboard's state; sent whole to each page on every change (it is small). */
export interface DashboardState {
  runId: string | null;
  title: string | null;
  objective: string | null;
  /** Each hypothesis with the verdicts of its scenarios so far. */
  hypotheses: { id: string; statement: string; scenarios: string[]; verdicts: Record<string, string> }[];
  steps: { index: number; kind: string; name: string; state: string }[];
  currentStep: number | null;
  scenario: { id: string; title: string; position: number; total: number; runs: number } | null;
  run: number | null;
  phase: RunPhase | null;
  /** Epoch ms the phase began (the event's time). */
  phaseAt: number | null;
  phaseLimitMs: number | null;
  probes: ProbeState[];
  stopConditions: ProbeState[];
  /** TTD and RTO of each repetition, as they are measured. */
  figures: { scenario: string; run: number; ttdMs: number | null; rtoMs: number | null; status: string }[];
  manual: { step: number; name: string; instruction: string; deadline: number } | null;
  notes: { t: number; author?: string; message: string }[];
  halt: { t: number; by: string; reason: string } | null;
  ended: { verdict: string; exitCode: number } | null;
  /** Events folded so far, and the last one's type and time. */
  seq: number;
  last: { type: string; t: number } | null;
}

/** A fresh state, before run.start. */
export function createDashboardState(): DashboardState {
  return { runId: null, title: null, objective: null, hypotheses: [], steps: [], currentStep: null, scenario: null, run: null, phase: null, phaseAt: null, phaseLimitMs: null, probes: [], stopConditions: [], figures: [], manual: null, notes: [], halt: null, ended: null, seq: 0, last: null };
}

const MAX_NOTES = 500;

// Sets the entry for `name` in a probe list (in first-seen order).
function setProbe(list: ProbeState[], probe: ProbeState): void {
  const index = list.findIndex((entry) => entry.name === probe.name);
  if (index >= 0) list[index] = probe;
  else list.push(probe);
}

function figureOf(state: DashboardState, scenario: string, run: number) {
  let figure = state.figures.find((entry) => entry.scenario === scenario && entry.run === run);
  if (!figure) {
    figure = { scenario, run, ttdMs: null, rtoMs: null, status: 'running' };
    state.figures.push(figure);
  }
  return figure;
}

/** Applies one event to the state (in place). Returns true when the pages should be told. */
export function applyDashboardEvent(state: DashboardState, event: RunEvent): boolean {
  state.seq += 1;
  state.last = { type: event.type, t: event.t };
  switch (event.type) {
    case 'run.start': state.runId = event.runId; break;
    case 'gameday.start':
      state.title = event.title;
      state.objective = event.objective;
      state.hypotheses = event.hypotheses.map((hypothesis) => ({ ...hypothesis, verdicts: {} }));
      state.steps = event.steps.map((step) => ({ ...step, state: 'pending' }));
      break;
    case 'step.start': {
      state.currentStep = event.index;
      const step = state.steps[event.index];
      if (step) step.state = 'running';
      // A pause or a manual step runs no scenario: what the last one showed is over.
      if (event.kind !== 'scenarios') Object.assign(state, { scenario: null, run: null, phase: null, phaseAt: null, phaseLimitMs: null, probes: [] });
      if (event.kind === 'manual') state.manual = { step: event.index, name: event.name, instruction: event.instruction ?? '', deadline: event.t + (event.timeoutMs ?? 0) };
      break;
    }
    case 'step.end': {
      const step = state.steps[event.index];
      if (step) step.state = event.outcome;
      if (state.manual?.step === event.index) state.manual = null;
      break;
    }
    case 'scenario.start':
      state.scenario = { id: event.scenario, title: event.title, position: event.position, total: event.total, runs: event.runs };
      state.probes = [];
      break;
    case 'run.phase':
      state.run = event.run;
      state.phase = event.phase;
      state.phaseAt = event.t;
      state.phaseLimitMs = event.limitMs ?? null;
      if (event.phase === 'steady-state') figureOf(state, event.scenario, event.run);
      break;
    case 'steady-state':
      for (const failing of event.failing as { name?: string; detail?: string }[]) setProbe(state.probes, { name: String(failing.name), ok: false, ...(failing.detail ? { detail: failing.detail } : {}), t: event.t });
      break;
    case 'probe':
      setProbe(state.probes, { name: String(event.probe), ok: event.ok === true, ...(typeof event.detail === 'string' ? { detail: event.detail } : {}), t: event.t });
      break;
    case 'detect': figureOf(state, event.scenario, event.run).ttdMs = typeof event.ttdMs === 'number' ? event.ttdMs : null; break;
    case 'recover': figureOf(state, event.scenario, event.run).rtoMs = event.rtoMs; break;
    case 'run.result': {
      const figure = figureOf(state, event.scenario, event.run);
      Object.assign(figure, { ttdMs: event.ttdMs, rtoMs: event.rtoMs, status: event.status === 'completed' ? (event.recovered ? 'recovered' : 'not recovered') : event.status });
      break;
    }
    case 'scenario.end':
      state.phase = null;
      state.phaseAt = event.t;
      for (const hypothesis of state.hypotheses) if (hypothesis.scenarios.includes(event.scenario)) hypothesis.verdicts[event.scenario] = event.verdict;
      break;
    case 'stop-condition': setProbe(state.stopConditions, { name: event.probe, ok: event.ok, ...(event.detail ? { detail: event.detail } : {}), t: event.t }); break;
    case 'note':
      state.notes.push({ t: event.t, ...(event.author ? { author: event.author } : {}), message: event.message });
      if (state.notes.length > MAX_NOTES) state.notes.shift();
      break;
    case 'halt': state.halt = { t: event.t, by: event.by, reason: event.reason }; break;
    case 'run.end':
      state.ended = { verdict: event.verdict, exitCode: event.exitCode };
      state.phase = null;
      break;
    // Probe samples before the first change, hooks and the rest change nothing on the page.
    default: return event.type === 'fault.inject' || event.type === 'timeout' || event.type === 'fault.rollback';
  }
  return true;
}
