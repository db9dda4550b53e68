// Timing a run cannot honour: warnings, not errors (the scenario runs, but its verdict may mean little).
import { formatDataPath, type LocatedValue } from '../scenario/positions.js';
import { createProblem, type Problem } from './problem.js';

// Probes that keep passing for a while after what they watch stops: the field that says how long.
const GRACE_FIELDS: Record<string, string> = { 'file.fresh': 'maxAgeMs', 'log.match': 'withinMs' };

/**
 * Warns when stabilizeMs ≥ timeoutMs (recovery can never be established in time), and when a steady-state
 * probe can only fail after longer than stabilizeMs (a heartbeat with maxAgeMs 8000 and stabilizeMs 500:
 * recovery is declared before the probe could see anything). `scenario` is the value with defaults applied.
 */
export function checkScenarioTiming(located: LocatedValue, scenario: Record<string, unknown>): Problem[] {
  const warnings: Problem[] = [];
  const at = (path: Array<string | number>, message: string) =>
    warnings.push(createProblem(located.file, located.positions.locate([...located.path, ...path]), formatDataPath([...located.path, ...path]), message));
  const stabilizeMs = Number(scenario.stabilizeMs);
  const timeoutMs = Number(scenario.timeoutMs);
  const given = (field: string) => (located.value as Record<string, unknown>)[field] !== undefined;
  if (Number.isFinite(stabilizeMs) && Number.isFinite(timeoutMs) && stabilizeMs >= timeoutMs) {
    at([given('stabilizeMs') ? 'stabilizeMs' : 'timeoutMs'], `stabilizeMs ${stabilizeMs} ≥ timeoutMs ${timeoutMs}${given('stabilizeMs') ? '' : ' (stabilizeMs by default)'}: no run can stay recovered for stabilizeMs before the timeout, so every run reads "not recovered"; make stabilizeMs shorter than timeoutMs`);
  }
  const probes = Array.isArray(scenario.steadyState) ? scenario.steadyState : [];
  probes.forEach((probe: unknown, index) => {
    if (probe === null || typeof probe !== 'object') return;
    const { probe: type, invert } = probe as Record<string, unknown>;
    const field = GRACE_FIELDS[String(type)];
    const grace = field === undefined || invert === true ? undefined : (probe as Record<string, unknown>)[field];
    if (typeof grace !== 'number' || !Number.isFinite(stabilizeMs) || grace <= stabilizeMs) return;
    at(['steadyState', index, field!], `${String(type)} ${field} ${grace} > stabilizeMs ${stabilizeMs}: this probe keeps passing for up to ${grace} ms after what it watches stops, so recovery can be declared before it could see anything; make stabilizeMs longer than ${grace} or ${field} shorter`);
  });
  return warnings;
}
