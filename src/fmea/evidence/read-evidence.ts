// Reads run reports (reports/<run>/summary.json) tolerantly: missing fields become null, not errors.
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../../errors.js';
import { summarizeFigures, type Percentiles } from '../../measure/stats.js';
import { readInputFile } from '../worksheet/load-worksheet.js';

/** One run of a scenario, as far as the summary tells. */
export interface EvidenceRun {
  index: number;
  completed: boolean;
  recovered: boolean | null;
  detected: boolean | null;
  ttdMs: number | null;
  rtoMs: number | null;
  probesFailed: number | null;
  steadyStateProbes: number | null;
  lost: number | null;
  /** When the target's own controls (its healer, signals file, log lines) first detected or repaired the fault, ms after t0; null when they recorded nothing. */
  targetDetectedMs?: number | null;
}

/** The FMEA block a scenario carried (the analyst's row). */
export interface EvidenceFmea {
  id: string;
  component?: string;
  failureMode?: string;
  effect?: string;
  cause?: string;
  severity?: number;
  occurrence?: number;
  detection?: number;
  function?: string;
  preventionControls?: string;
  detectionControls?: string;
  recommendedAction?: string;
  owner?: string;
  status?: 'open' | 'in-progress' | 'done' | 'accepted';
}

/** One scenario of a report. */
export interface EvidenceScenario {
  id: string;
  title?: string;
  fmea: EvidenceFmea | null;
  /** The target set-up the runs measured (e.g. "reference orchestrator, healer off"); ratings never pool across it. */
  configuration: string;
  steadyStateProbes: number | null;
  expect: { ttdMs?: number; rtoMs?: number; dataLoss?: number };
  runs: EvidenceRun[];
  stats: { ttdMs: Percentiles | null; rtoMs: Percentiles | null };
}

/** One run report. */
export interface EvidenceReport {
  file: string;
  runId: string;
  startedAt: string | null;
  scenarios: EvidenceScenario[];
}

/** Reads run directories (or summary.json files); an unreadable one is an InputError naming it. */
export function readEvidence(paths: readonly string[]): EvidenceReport[] {
  return paths.map(readEvidenceReport);
}

/** Reads one run directory or summary.json. */
export function readEvidenceReport(path: string): EvidenceReport {
  const file = existsSync(path) && statSync(path).isDirectory() ? join(path, 'summary.json') : path;
  if (!existsSync(file)) {
    throw new InputError(`${path}: no summary.json here`, { hint: 'pass a run directory such as reports/latest, or its summary.json' });
  }
  const text = readInputFile(file);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const position = /position (\d+)/.exec(String(error))?.[1];
    const line = position === undefined ? 1 : text.slice(0, Number(position)).split('\n').length;
    throw new InputError(`${file}:${line} invalid JSON: ${(error as Error).message}`, { cause: error });
  }
  if (!isObject(value)) throw new InputError(`${file}:1 expected a run summary (an object with runId and scenarios)`);
  return {
    file,
    runId: asString(value.runId) ?? file,
    startedAt: asString(value.startedAt) ?? null,
    scenarios: asArray(value.scenarios).filter(isObject).map((scenario) => readScenario(scenario, getFallbackConfiguration(value))).filter((scenario): scenario is EvidenceScenario => scenario !== undefined),
  };
}

// A summary from before scenarios named their configuration: the run's healer option is all it tells.
function getFallbackConfiguration(summary: Record<string, unknown>): string {
  const options = isObject(summary.options) ? summary.options : {};
  const targets = asArray(summary.targets).filter(isObject);
  if (targets.length > 0 && targets.every((target) => target.kind !== 'reference')) return `external target ${asString(targets[0]!.name) ?? ''}`.trim();
  return options.heal === false ? 'reference orchestrator, healer off' : 'reference orchestrator, healer on';
}

/** The target's own first detection (or repair, which implies it) of a run, ms after t0, clamped at 0. */
export function getTargetDetectedMs(run: { targetTtdMs?: unknown; targetRtoMs?: unknown; targetSignals?: unknown }): number | null {
  const signals = asArray(run.targetSignals).filter(isObject)
    .filter((signal) => signal.event === 'detect' || signal.event === 'repair')
    .map((signal) => asNumber(signal.offsetMs))
    .filter((offset): offset is number => offset !== null);
  const candidates = [asNumber(run.targetTtdMs), asNumber(run.targetRtoMs), ...signals].filter((value): value is number => value !== null);
  return candidates.length === 0 ? null : Math.max(0, Math.min(...candidates));
}

function readScenario(value: Record<string, unknown>, fallbackConfiguration: string): EvidenceScenario | undefined {
  const id = asString(value.id);
  if (!id) return undefined;
  const steadyStateProbes = asNumber(value.steadyStateProbes);
  const runs = asArray(value.runs).filter(isObject).map((run, index) => readRun(run, index, steadyStateProbes));
  const stats = isObject(value.stats) ? value.stats : {};
  const completed = runs.filter((run) => run.completed);
  const title = asString(value.title);
  return {
    id,
    ...(title ? { title } : {}),
    fmea: readFmea(value.fmea),
    configuration: asString(value.configuration) ?? fallbackConfiguration,
    steadyStateProbes,
    expect: readExpect(value.expect),
    runs,
    stats: {
      ttdMs: readPercentiles(stats.ttdMs) ?? summarizeFigures(completed.map((run) => run.ttdMs)),
      rtoMs: readPercentiles(stats.rtoMs) ?? summarizeFigures(completed.map((run) => run.rtoMs)),
    },
  };
}

function readRun(value: Record<string, unknown>, index: number, steadyStateProbes: number | null): EvidenceRun {
  const ttdMs = asNumber(value.ttdMs);
  const status = asString(value.status);
  const dataLoss = isObject(value.dataLoss) ? value.dataLoss : undefined;
  return {
    index: asNumber(value.index) ?? index + 1,
    completed: status === undefined || status === 'completed',
    recovered: typeof value.recovered === 'boolean' ? value.recovered : null,
    detected: typeof value.detected === 'boolean' ? value.detected : ttdMs !== null ? true : null,
    ttdMs,
    rtoMs: asNumber(value.rtoMs),
    probesFailed: asNumber(value.probesFailed),
    steadyStateProbes: asNumber(value.steadyStateProbes) ?? steadyStateProbes,
    lost: dataLoss ? asNumber(dataLoss.lost) : null,
    targetDetectedMs: getTargetDetectedMs(value),
  };
}

function readFmea(value: unknown): EvidenceFmea | null {
  if (!isObject(value) || !asString(value.id)) return null;
  const fmea: EvidenceFmea = { id: asString(value.id)! };
  for (const key of ['component', 'failureMode', 'effect', 'cause', 'function', 'preventionControls', 'detectionControls', 'recommendedAction', 'owner'] as const) {
    const text = asString(value[key]);
    if (text) fmea[key] = text;
  }
  const status = asString(value.status);
  if (status === 'open' || status === 'in-progress' || status === 'done' || status === 'accepted') fmea.status = status;
  for (const key of ['severity', 'occurrence', 'detection'] as const) {
    const rating = asNumber(value[key]);
    if (rating !== null && Number.isInteger(rating) && rating >= 1 && rating <= 10) fmea[key] = rating;
  }
  return fmea;
}

function readExpect(value: unknown): EvidenceScenario['expect'] {
  if (!isObject(value)) return {};
  const expect: EvidenceScenario['expect'] = {};
  for (const key of ['ttdMs', 'rtoMs', 'dataLoss'] as const) {
    const number = asNumber(value[key]);
    if (number !== null) expect[key] = number;
  }
  return expect;
}

function readPercentiles(value: unknown): Percentiles | null {
  if (!isObject(value)) return null;
  const [p50, p95, max] = [asNumber(value.p50), asNumber(value.p95), asNumber(value.max)];
  return p50 !== null && p95 !== null && max !== null ? { p50, p95, max } : null;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function asString(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function asNumber(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}
