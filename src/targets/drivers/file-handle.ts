// The lifecycle of a target file's target: setup when a scenario opens it, reset when a run left it
// broken (or always), teardown when the scenario is done — each hook's output in the journal.
import { runRequiredHook } from '../hooks.js';
import { loadFileTarget } from '../external.js';
import { createCompleteStopReport, type TargetHandle, type TargetStopReport } from '../types.js';
import type { TargetOpenOptions } from './types.js';

/** Opens a target file for a run: runs its setup hook (a failing setup throws TargetError, exit 3). */
export async function openFileHandle(file: string, options: TargetOpenOptions): Promise<TargetHandle> {
  const { target, hooks } = await loadFileTarget(file);
  const hookOptions = { cwd: target.home, env: target.env, target: target.name, ...(options.log ? { log: options.log } : {}) };
  if (hooks.setup) await runRequiredHook('setup', hooks.setup, hookOptions);
  const report = (notes: string[]): TargetStopReport => ({ ...createCompleteStopReport(), notes });
  const reset = hooks.reset && hooks.reset.when !== 'never' ? hooks.reset : undefined;
  return {
    target,
    // Unmanaged: faultline did not start the system itself, a setup hook only prepared it.
    managed: false,
    ...(reset
      ? {
          resetWhen: reset.when === 'always' ? 'always' : 'on-failure',
          async reset() {
            const event = await runRequiredHook('reset', reset, hookOptions);
            return report([`reset hook ran in ${event.ms} ms`]);
          },
        }
      : {}),
    async close() {
      if (!hooks.teardown) return createCompleteStopReport();
      // A failing teardown is reported, not thrown: the scenario's verdict stands, the note says what to check.
      const event = await runRequiredHook('teardown', hooks.teardown, hookOptions).catch((error: Error) => error);
      return event instanceof Error ? report([event.message]) : report([]);
    },
  };
}
