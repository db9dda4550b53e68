// Plans are made against described targets: nothing is started, and guards refuse bad params up front.
import { existsSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { formatPlans } from '../../src/plan/format-plan.js';
import { assertPlansAllowed, planScenarios } from '../../src/plan/plan-scenarios.js';
import { PLACEHOLDER_DIR_NAME } from '../../src/plan/plan-target.js';
import { loadScenarios } from '../../src/scenario/load.js';
import { startReference, stopReference, type ReferenceTarget } from '../../src/targets/reference/index.js';

const pack = join(import.meta.dirname, '..', '..', 'scenarios', 'tmux-orchestrator');
let instance: ReferenceTarget | undefined;
afterAll(async () => {
  if (instance) await stopReference(instance.dir);
});

describe('planScenarios', () => {
  test('plans the whole scenario pack against a placeholder reference dir, starting nothing', async () => {
    const plans = await planScenarios(await loadScenarios([pack]));
    expect(plans.length).toBeGreaterThanOrEqual(10);
    for (const plan of plans) {
      expect(plan.problem).toBeUndefined();
      expect(plan.target.home.endsWith(PLACEHOLDER_DIR_NAME)).toBe(true);
      expect(plan.fault.touches.length).toBeGreaterThan(0);
      expect(plan.fault.guards.length).toBeGreaterThan(0);
    }
    expect(existsSync(plans[0]!.target.home)).toBe(false);
    const cascade = plans.find((plan) => plan.fault.type === 'composite' && plan.fmea === 'CASCADE-001')!;
    expect(cascade.fault.touches.map((touch) => touch.split(':')[0])).toEqual([
      'step 1 config.corrupt (at once)',
      'step 2 tmux.kill-session (300 ms after step 1)',
      'step 3 process.kill (300 ms after step 2)',
      'rollback',
    ]);
    const text = formatPlans(plans);
    expect(text).toContain('dry run: nothing is started, injected, written or signalled');
    expect(text).toMatch(/✓ every guard passed for \d+ scenario\(s\)/);
    expect(() => assertPlansAllowed(plans)).not.toThrow();
  });

  test('with --target-dir it plans against the running instance and refuses a symlink that escapes its roots', async () => {
    instance = await startReference({ heal: false });
    symlinkSync('/etc/hostname', join(instance.dir, 'config', 'escape.conf'));
    const scenarios = await loadScenarios([join(import.meta.dirname, 'fixtures', 'escape.yaml')]);
    const [plan] = await planScenarios(scenarios, { targetDir: instance.dir });
    expect(plan!.target.home).toBe(instance.dir);
    expect(plan!.target.note).toContain('--target-dir');
    expect(plan!.problem).toMatch(/escape\.yaml: fault\.path: .*escape\.conf \(it resolves to \/etc\/hostname\) is outside the target's roots/);
    expect(() => assertPlansAllowed([plan!])).toThrow(/^test\/plan\/fixtures\/escape\.yaml: fault\.path: /);
    expect(formatPlans([plan!])).toMatch(/REFUSED — .*fault\.path/);
  });
});
