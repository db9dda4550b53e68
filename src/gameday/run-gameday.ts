// Runs a game-day plan as one run: its steps in order (scenarios on the plan's target, pauses, manual
// steps that wait for a person), its stop conditions checked while a target is open, and a halt —
// from `faultline halt`, the dashboard, a stop condition or a manual step's timeout — stops it all.
import { withRunLocks, type RunOptions } from '../run/run-scenarios.js';
import { RunSession, type RunOutcome } from '../run/run-session.js';
import { sleep } from '../util/clock.js';
import type { LoadedPlan, PlanStep } from './load-plan.js';
import { watchStopConditions } from './stop-conditions.js';
import { describeWindow, isWithinWindow } from './window.js';

/** Options of `faultline gameday run`: those of a run, and the window check. */
export interface GameDayOptions extends Omit<RunOptions, 'onProgress'> {
  /** Run even outside the plan's allowed window. */
  ignoreWindow?: boolean;
  /** The moment the window is checked against (tests). */
  now?: Date;
  /** Told the session once it is open (the dashboard's controls halt, continue and note through it). */
  onSession?: (session: RunSession) => void;
}

/** What a game day produced: the run's outcome, and whether it was skipped (outside its window). */
export interface GameDayOutcome extends RunOutcome {
  skipped?: string;
}

/** Runs the plan; the summary is that of one run holding every scenario of the plan. */
export async function runGameDay(loaded: LoadedPlan, options: GameDayOptions): Promise<GameDayOutcome> {
  const signal = options.signal ?? new AbortController().signal;
  return withRunLocks(loaded.scenarios, options, async (ledger, listeners) => {
    const session = await RunSession.open(loaded.scenarios, { ...options, listeners, kind: 'gameday', title: loaded.plan.title }, ledger, signal);
    options.onSession?.(session);
    const { plan } = loaded;
    session.events.emit('gameday.start', {
      plan: loaded.file, id: loaded.id, title: plan.title, objective: plan.objective.trim(),
      hypotheses: plan.hypotheses.map(({ id, statement, scenarios }) => ({ id, statement, scenarios })),
      steps: loaded.steps.map(describeStep),
    });
    let fatal: unknown;
    let skipped: string | undefined;
    try {
      if (!options.ignoreWindow && !isWithinWindow(plan.window, options.now)) {
        skipped = `started outside the plan's window (${describeWindow(plan.window!)})`;
        session.events.emit('gameday.skipped', { reason: skipped });
      } else {
        const total = loaded.scenarios.length;
        let position = 0;
        for (const step of loaded.steps) {
          if (session.signal.aborted || session.stopped) break;
          position = await runStep(session, loaded, step, position, total);
        }
      }
    } catch (error) {
      fatal = error;
    }
    return { ...session.finish(fatal), ...(skipped ? { skipped } : {}) };
  });
}

function describeStep(step: PlanStep) {
  return { index: step.index, kind: step.kind, name: step.name };
}

// One step; returns how many scenarios of the plan have started so far.
async function runStep(session: RunSession, loaded: LoadedPlan, step: PlanStep, position: number, total: number): Promise<number> {
  const info = describeStep(step);
  const { events } = session;
  if (step.kind === 'scenarios') {
    events.emit('step.start', { ...info, scenarios: step.scenarios.map((scenario) => scenario.id) });
    const { stopConditions, stopConditionIntervalMs } = loaded.plan;
    for (const scenario of step.scenarios) {
      if (session.signal.aborted || session.stopped) break;
      position += 1;
      const watch = (handle: Parameters<typeof watchStopConditions>[1]) => watchStopConditions(session, handle, stopConditions, stopConditionIntervalMs);
      await session.runScenario(scenario, position, total, watch);
    }
    events.emit('step.end', { ...info, outcome: session.signal.aborted ? 'halted' : 'done' });
    return position;
  }
  if (step.kind === 'pause') {
    events.emit('step.start', { ...info, pauseMs: step.pauseMs });
    await sleep(step.pauseMs, session.signal);
    events.emit('step.end', { ...info, outcome: session.signal.aborted ? 'halted' : 'done' });
    return position;
  }
  events.emit('step.start', { ...info, instruction: step.manual.instruction, timeoutMs: step.manual.timeoutMs });
  const result = await waitForContinue(session, step.manual.timeoutMs);
  events.emit('step.end', { ...info, outcome: result.outcome, ...(result.by ? { by: result.by } : {}) });
  if (result.outcome === 'timed-out' && step.manual.onTimeout === 'halt') {
    session.halt('a manual step', `"${step.name}" was not continued within ${Math.round(step.manual.timeoutMs / 1000)} s`);
  }
  return position;
}

// A manual step waits for `faultline gameday continue` (or the dashboard's Continue), its timeout, or a halt.
function waitForContinue(session: RunSession, timeoutMs: number): Promise<{ outcome: 'continued' | 'timed-out' | 'halted'; by?: string }> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => done({ outcome: 'timed-out' }), timeoutMs);
    const onAbort = () => done({ outcome: 'halted' });
    const done = (result: { outcome: 'continued' | 'timed-out' | 'halted'; by?: string }) => {
      clearTimeout(timer);
      session.signal.removeEventListener('abort', onAbort);
      session.onContinue = undefined;
      resolve(result);
    };
    if (session.signal.aborted) return done({ outcome: 'halted' });
    session.signal.addEventListener('abort', onAbort, { once: true });
    session.onContinue = (by) => done({ outcome: 'continued', by });
  });
}
