// Before a schedule is installed and at each start it fires: the plan and every file it runs (its
// scenarios, their target files) must be changeable by faultline's own user alone.
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { loadPlan } from '../gameday/load-plan.js';
import { findBundledDriver } from '../targets/drivers/registry.js';
import { findForeignWriter } from '../util/foreign-writers.js';

/** The first reason another user could change what a scheduled run of the plan would run; undefined when none. */
export async function findUntrustedPlanFile(planFile: string): Promise<string | undefined> {
  const files = new Set([resolve(planFile)]);
  // A plan that does not load runs nothing; gameday run says why.
  const loaded = await loadPlan(planFile).catch(() => undefined);
  for (const scenario of loaded?.scenarios ?? []) {
    files.add(scenario.source.file);
    if (!findBundledDriver(scenario.target)) {
      const targetFile = resolve(dirname(scenario.source.file), scenario.target);
      if (existsSync(targetFile)) files.add(targetFile);
    }
  }
  for (const file of files) {
    const problem = findForeignWriter(file);
    if (problem !== undefined) return problem;
  }
  return undefined;
}
