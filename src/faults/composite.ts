// Fault: a sequence of faults with delays, for cascades (seed 000 CASCADE-001..003). Every step is
// prepared (guards, backups) before the first acts; t0 is the first step; rollback undoes the steps
// that started, last first — also from the ledger after a crash, via progress.json in its state dir.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Type, type Static } from '@sinclair/typebox';
import { FaultlineError, GuardError, InputError, getErrorMessage } from '../errors.js';
import { monotonicMs, sleep } from '../util/clock.js';
import { writeFileAtomic } from '../util/files.js';
import { defineFault, type FaultContext, type FaultDefinition, type FaultSpec, type FaultState, type RollbackResult } from './types.js';
import { defineFaultParams } from './params.js';

/** Most steps in one composite, and the longest delay before one. */
export const MAX_STEPS = 8;
export const MAX_STEP_DELAY_MS = 60_000;

/** How composite finds the other fault types without importing the registry (which imports it). */
export interface FaultCatalog {
  list(): Iterable<FaultDefinition>;
  get(type: string): FaultDefinition;
}

/** One prepared step as saved in the ledger. */
interface PreparedStep {
  type: string;
  stateDir: string;
  state: FaultState;
}

// Sequences still running in this process, by the composite's state directory.
const sequences = new Map<string, { controller: AbortController; done: Promise<boolean> }>();

/** The params schema: steps whose `fault` is any registered fault but composite (built lazily, once). */
function buildCompositeParams(catalog: FaultCatalog) {
  const parts = [...catalog.list()].filter((definition) => definition.type !== 'composite');
  const fault = Type.Unsafe<FaultSpec>({
    type: 'object',
    description: 'A fault of any type but composite: `type` names it.',
    discriminator: { propertyName: 'type' },
    required: ['type'],
    oneOf: parts.map((definition) => definition.params),
  });
  return defineFaultParams('composite', {
    steps: Type.Array(
      Type.Object({
        fault,
        delayMs: Type.Optional(Type.Integer({ minimum: 0, maximum: MAX_STEP_DELAY_MS, default: 0, description: 'Wait this long after the previous step took effect (the first step: before it starts).' })),
      }, { additionalProperties: false }),
      { minItems: 1, maxItems: MAX_STEPS, description: `The faults, in order (at most ${MAX_STEPS}); rolled back in reverse order.` },
    ),
  }, 'A sequence of faults with delays (a cascade).');
}
type CompositeParams = Static<ReturnType<typeof buildCompositeParams>>;

/** Creates the composite fault over the faults the catalog lists. */
export function createCompositeFault(catalog: FaultCatalog) {
  let params: ReturnType<typeof buildCompositeParams> | undefined;
  return defineFault({
    type: 'composite',
    summary: 'runs a sequence of faults with delays (cascades); rolls them back in reverse order',
    goesInAfterInject: true,
    get params() {
      return (params ??= buildCompositeParams(catalog));
    },
    isPlanStatic(value) {
      return value.steps.every((step) => step.fault.type !== 'composite' && catalog.get(step.fault.type).isPlanStatic?.(step.fault) === true);
    },
    async plan(value, context) {
      const touches: string[] = [];
      const guards = new Set<string>();
      for (const [index, step] of value.steps.entries()) {
        const plan = await inStep(index, () => getPart(catalog, step.fault, index).plan(step.fault, context));
        touches.push(...plan.touches.map((touch) => `step ${index + 1} ${step.fault.type} (${describeDelay(index, step.delayMs ?? 0)}): ${touch}`));
        plan.guards.forEach((guard) => guards.add(guard));
      }
      touches.push(`rollback: steps that started, in reverse order (${value.steps.map((_, index) => index + 1).reverse().join(' → ')}), each verified`);
      return { touches, guards: [...guards] };
    },
    async prepare(value, context) {
      const steps: PreparedStep[] = [];
      for (const [index, step] of value.steps.entries()) {
        const stateDir = join(context.stateDir, `step-${index + 1}`);
        mkdirSync(stateDir, { recursive: true });
        const state = await inStep(index, () => getPart(catalog, step.fault, index).prepare(step.fault, { ...context, stateDir }));
        steps.push({ type: step.fault.type, stateDir, state });
      }
      return { steps, progress: join(context.stateDir, 'progress.json') };
    },
    async inject(value, context, state) {
      const controller = new AbortController();
      const steps = getSteps(state);
      // Settled results, so a step whose verify fails while a later step waits is not an unhandled rejection.
      const verifications: Promise<{ ok: boolean } | { error: unknown }>[] = [];
      const runStep = async (index: number) => {
        // On disk before the step acts: recover undoes every step up to the last one started.
        writeFileAtomic(String(state.progress), `${JSON.stringify({ started: index })}\n`);
        const part = getPart(catalog, value.steps[index]!.fault, index);
        const partContext = { ...context, stateDir: steps[index]!.stateDir };
        await part.inject(value.steps[index]!.fault, partContext, steps[index]!.state);
        verifications.push(part.verify(value.steps[index]!.fault, partContext, steps[index]!.state).then((ok) => ({ ok }), (error: unknown) => ({ error })));
        return monotonicMs();
      };
      await sleep(value.steps[0]!.delayMs ?? 0, controller.signal);
      let last = await runStep(0);
      const rest = async () => {
        for (let index = 1; index < value.steps.length; index += 1) {
          await sleep((value.steps[index]!.delayMs ?? 0) - (monotonicMs() - last), controller.signal);
          if (controller.signal.aborted) break;
          last = await runStep(index);
        }
        const outcomes = await Promise.all(verifications);
        const failed = outcomes.find((outcome) => 'error' in outcome);
        if (failed && 'error' in failed) throw failed.error;
        return outcomes.every((outcome) => 'ok' in outcome && outcome.ok);
      };
      const done = rest();
      done.catch(() => undefined); // Surfaced by verify; rollback waits for it either way.
      sequences.set(context.stateDir, { controller, done });
    },
    async verify(_value, context) {
      // True once every step has run and each was in effect right after it acted.
      const sequence = sequences.get(context.stateDir);
      return sequence ? sequence.done : false;
    },
    async rollback(value, context, state) {
      const sequence = sequences.get(context.stateDir);
      if (sequence) {
        sequence.controller.abort();
        await sequence.done.catch(() => undefined);
        sequences.delete(context.stateDir);
      }
      return rollBackSteps(catalog, value, context, state);
    },
  });
}

// Undoes the steps that started, last first; every step is attempted even when one fails.
async function rollBackSteps(catalog: FaultCatalog, value: CompositeParams, context: FaultContext, state: FaultState): Promise<RollbackResult> {
  const steps = getSteps(state);
  const started = readStarted(String(state.progress));
  const lines: string[] = [];
  let ok = true;
  for (let index = Math.min(started, steps.length - 1); index >= 0; index -= 1) {
    let outcome: RollbackResult;
    try {
      const part = getPart(catalog, value.steps[index]!.fault, index);
      outcome = await part.rollback(value.steps[index]!.fault, { ...context, stateDir: steps[index]!.stateDir }, steps[index]!.state);
    } catch (error) {
      outcome = { ok: false, detail: `rollback threw: ${getErrorMessage(error)}` };
    }
    ok &&= outcome.ok;
    lines.push(`step ${index + 1} ${steps[index]!.type}: ${outcome.ok ? '' : 'FAILED: '}${outcome.detail}`);
  }
  if (started < steps.length - 1) lines.push(started < 0 ? 'no step started' : `steps ${started + 2}–${steps.length} never started`);
  return { ok, detail: lines.join('; ') };
}

function getSteps(state: FaultState): PreparedStep[] {
  return Array.isArray(state.steps) ? (state.steps as PreparedStep[]) : [];
}

// The index of the last step that started, from progress.json; -1 when none did.
function readStarted(path: string): number {
  try {
    const started = Number((JSON.parse(readFileSync(path, 'utf8')) as { started?: unknown }).started);
    return Number.isInteger(started) ? started : -1;
  } catch {
    return -1;
  }
}

function getPart(catalog: FaultCatalog, fault: FaultSpec, index: number): FaultDefinition {
  if (fault.type === 'composite') throw new GuardError(`fault.steps.${index}.fault.type: a composite cannot be a step of a composite`);
  return catalog.get(fault.type);
}

/** Runs a step's plan or prepare; a problem it reports at `fault.x` is re-addressed to `fault.steps.<i>.fault.x`. */
async function inStep<T>(index: number, action: () => Promise<T>): Promise<T> {
  try {
    return await action();
  } catch (error) {
    if (!(error instanceof FaultlineError) || !/^fault[.:]/.test(error.message) || error.message.startsWith('fault.steps.')) throw error;
    const message = error.message.replace(/^fault/, `fault.steps.${index}.fault`);
    const options = { ...(error.hint ? { hint: error.hint } : {}), cause: error };
    throw error instanceof InputError ? new InputError(message, { ...options, problems: error.problems }) : new GuardError(message, options);
  }
}

function describeDelay(index: number, delayMs: number): string {
  if (index === 0) return delayMs > 0 ? `after ${delayMs} ms` : 'at once';
  return `${delayMs} ms after step ${index}`;
}
