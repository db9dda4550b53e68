// Resolves a scenario's `target` into a live handle: the bundled reference orchestrator or a target file.
import { dirname, resolve } from 'node:path';
import type { TargetDescriptor } from '../run/ledger.js';
import { createCompleteStopReport, type TargetHandle } from './types.js';

/** How `reference` targets are started for a run. */
export interface ReferenceRunOptions {
  heal: boolean;
  healDelayMs?: number;
  /** Use this already-running reference instance (from `faultline target up`) instead of starting one. */
  targetDir?: string;
  /** Start the managed instance in this directory, which faultline chose and recorded (it is removed on close). */
  instanceDir?: string;
}

/** The key that groups scenarios sharing one target. */
export function getTargetKey(spec: string, scenarioFile: string): string {
  return spec === 'reference' ? 'reference' : resolve(dirname(scenarioFile), spec);
}

/** Opens (and for `reference`, starts) the target a scenario names. */
export async function openTargetHandle(spec: string, scenarioFile: string, options: ReferenceRunOptions): Promise<TargetHandle> {
  if (spec !== 'reference') {
    const { openExternalTarget } = await import('./external.js');
    return openExternalTarget(getTargetKey(spec, scenarioFile));
  }
  const reference = await import('./reference/index.js');
  if (options.targetDir) {
    const target = await reference.openReference(resolve(options.targetDir));
    return { target, managed: false, close: async () => createCompleteStopReport() };
  }
  return reference.createReferenceHandle({
    heal: options.heal,
    ...(options.healDelayMs !== undefined ? { healDelayMs: options.healDelayMs } : {}),
    ...(options.instanceDir !== undefined ? { dir: options.instanceDir, ownsDir: true } : {}),
  });
}

/** How another process (`faultline recover`) finds this target again. */
export function describeTargetForLedger(handle: TargetHandle): TargetDescriptor {
  const { target } = handle;
  if (target.kind === 'reference') return { kind: 'reference', dir: target.home };
  return { kind: 'external', file: String(target.describe().file) };
}
