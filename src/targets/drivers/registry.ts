// The driver registry: a name → driver map. Adding a driver = adding its file and one line here.
import { dirname, resolve } from 'node:path';
import { createRegistry, type Registry } from '../../util/registry.js';
import type { TargetDriver } from './types.js';
import reference from './reference.js';
import external from './external.js';
import supervisord from './supervisord.js';
import webstack from './webstack.js';
import etcd from './etcd.js';

/** Every target driver, keyed by name. */
export const driverRegistry: Registry<TargetDriver['name'], TargetDriver> = createRegistry('target driver', [reference, external, supervisord, webstack, etcd], (driver) => driver.name);

/** Returns the driver of a name, or fails listing the valid ones. */
export function getTargetDriver(name: string): TargetDriver {
  return driverRegistry.require(name);
}

/** The driver of a bundled target a scenario names by name (`reference`, `webstack`); undefined for a target file's path. */
export function findBundledDriver(spec: string): TargetDriver | undefined {
  const driver = driverRegistry.get(spec);
  return driver?.bundled ? driver : undefined;
}

/** The driver and target file for a scenario's `target` (the file is read for its `driver`). */
export async function selectTargetDriver(spec: string, scenarioFile: string): Promise<{ driver: TargetDriver; file: string }> {
  const bundled = findBundledDriver(spec);
  if (bundled) return { driver: bundled, file: spec };
  const file = resolve(dirname(scenarioFile), spec);
  const { readTargetFile, getFileDriverName } = await import('../external.js');
  return { driver: getTargetDriver(getFileDriverName(await readTargetFile(file))), file };
}

/** A ledger descriptor in today's form (kept beside the ledger's types, which parse old intents with it). */
export { normalizeDescriptor } from '../../run/ledger.js';
