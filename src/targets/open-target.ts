// Resolves a scenario's `target` into a live handle through its driver (src/targets/drivers/).
import { dirname, resolve } from 'node:path';
import { findBundledDriver, getTargetDriver, selectTargetDriver } from './drivers/registry.js';
import type { TargetDescriptor, TargetOpenOptions } from './drivers/types.js';
import type { TargetHandle } from './types.js';

/** How targets are opened for a run (heal options for the reference driver, a journal for hooks). */
export type ReferenceRunOptions = TargetOpenOptions;

/** The key that groups scenarios sharing one target. */
export function getTargetKey(spec: string, scenarioFile: string): string {
  return isBundledTarget(spec) ? spec : resolve(dirname(scenarioFile), spec);
}

/** True for a target bundled with faultline and named by name (`reference`, `webstack`), not a target file. */
export function isBundledTarget(spec: string): boolean {
  return findBundledDriver(spec) !== undefined;
}

/** Opens (and for drivers that start their targets, starts) the target a scenario names. */
export async function openTargetHandle(spec: string, scenarioFile: string, options: TargetOpenOptions): Promise<TargetHandle> {
  const { driver, file } = await selectTargetDriver(spec, scenarioFile);
  return driver.open(file, options);
}

/** How another process (`faultline recover`) finds this target again. */
export function describeTargetForLedger(handle: TargetHandle): TargetDescriptor {
  return getTargetDriver(handle.target.driver).describeForLedger(handle.target);
}
