// The configuration a scenario's runs measured: which target, and who heals it. Measured FMEA
// ratings are grouped by it, never pooled across it (healer on and off are different systems).
import { isAbsolute, relative } from 'node:path';

/** "reference orchestrator, healer on" / "reference orchestrator, healer off" / "external target upstream (targets/upstream.yaml)", from a target's describe(). */
export function describeConfiguration(description: Record<string, unknown>): string {
  // A target's describe() names its driver; summaries written before drivers existed called it `kind`.
  const driver = description.driver ?? description.kind;
  if (driver === 'reference') {
    const heal = description.heal;
    if (typeof heal !== 'object' || heal === null) return 'reference orchestrator, healer off';
    const delayMs = Number((heal as Record<string, unknown>).delayMs ?? 0);
    return `reference orchestrator, healer on${delayMs > 0 ? ` (delay ${delayMs} ms)` : ''}`;
  }
  // A target with switchable guardrails (the web stack) is a different system with them on and off.
  const guardrails = description.guardrails === 'on' || description.guardrails === 'off' ? `, guardrails ${description.guardrails}` : '';
  const name = typeof description.name === 'string' ? description.name : 'unnamed';
  const file = typeof description.file === 'string' ? ` (${showPath(description.file)})` : '';
  return `${String(driver ?? 'external')} target ${name}${file}${guardrails}`;
}

/**
 * The system a configuration measured, without the known delay a test put into its healer: the regression
 * gate compares a delayed run with its undelayed baseline (the delay is the slowdown it simulates), while
 * the FMEA keeps them apart (a different measured system).
 */
export function getBaselineConfiguration(configuration: string): string {
  return configuration.replace(/ \(delay [\d.]+ ms\)$/, '');
}

// A path inside the working directory reads relative to it; any other stays absolute (no "../../..").
function showPath(file: string): string {
  const inside = relative(process.cwd(), file);
  return inside && !inside.startsWith('..') && !isAbsolute(inside) ? inside : file;
}
