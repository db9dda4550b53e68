// Prints plans for `faultline run --dry-run`: per scenario, the target, probes, what the fault would
// touch and the guards it passed.
import type { ScenarioPlan } from './plan-scenarios.js';

/** The plan as text, one block per scenario. */
export function formatPlans(plans: readonly ScenarioPlan[]): string {
  const lines = [`Plan of ${plans.length} scenario(s) — dry run: nothing is started, injected, written or signalled.`];
  for (const plan of plans) {
    lines.push('', `▶ ${plan.id}${plan.fmea ? ` (${plan.fmea})` : ''} — ${plan.title}  [${plan.file}]`);
    lines.push(`  target   ${plan.target.note || plan.target.name}`);
    if (plan.target.home) lines.push(`           ${plan.target.socket ? `socket ${plan.target.socket} · ` : ''}roots ${plan.target.roots.join(', ')}`);
    for (const host of plan.fleet?.hosts ?? []) lines.push(`  host     ${host.name} (${host.address}) batch ${host.batch} · target ${host.target}${host.problem ? ` · REFUSED: ${host.problem}` : ''}`);
    lines.push(`  steady   ${plan.steadyState.join('; ')}`);
    if (plan.problem) {
      lines.push(`  fault    ${plan.fault.type}: REFUSED — ${plan.problem}`);
      continue;
    }
    lines.push(`  fault    ${plan.fault.type}`);
    for (const touch of plan.fault.touches) lines.push(`    touches  ${touch}`);
    for (const guard of plan.fault.guards) lines.push(`    guard    ${guard}`);
    lines.push(`  runs     ${plan.runs} × up to ${plan.timeoutMs} ms to recover (stable for ${plan.stabilizeMs} ms); each fault rolled back and verified`);
  }
  const refused = plans.filter((plan) => plan.problem).length;
  lines.push('', refused > 0 ? `✗ ${refused} of ${plans.length} scenario(s) would be refused before anything is touched` : `✓ every guard passed for ${plans.length} scenario(s)`);
  return `${lines.join('\n')}\n`;
}
