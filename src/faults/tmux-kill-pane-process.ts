// Fault alias: tmux.kill-pane-process is process.kill with a pane address, kept so older scenarios
// run; validate warns that process.kill { pane: session:window.pane } replaces it.
import { defineFault } from './types.js';
import { defineFaultParams } from './params.js';
import processKill from './process-kill.js';
import { defineSignalParam } from './signals.js';
import { describePane, paneProperties } from './tmux-panes.js';

/** The process.kill params the alias stands for: its pane as one address, session:window.pane. */
export function toProcessKill(params: { name?: string; session: string; window: string | number; pane?: number; signal?: string }) {
  return { type: 'process.kill', pane: describePane(params), ...(params.name !== undefined ? { name: params.name } : {}), ...(params.signal !== undefined ? { signal: params.signal } : {}) };
}

export default defineFault({
  type: 'tmux.kill-pane-process',
  needs: ['tmux'],
  deprecatedBy: 'process.kill with pane: "<session>:<window>.<pane>"',
  summary: 'deprecated alias of process.kill { pane }: kills the process in a tmux pane of the target (default SIGKILL)',
  params: defineFaultParams('tmux.kill-pane-process', {
    ...paneProperties,
    signal: defineSignalParam('Signal to send (default SIGKILL).'),
  }, 'Deprecated: use process.kill with pane: "<session>:<window>.<pane>". Kill the process in a tmux pane.'),
  isPlanStatic: () => true,
  plan: (params, context) => processKill.plan(toProcessKill(params), context),
  prepare: (params, context) => processKill.prepare(toProcessKill(params), context),
  inject: (params, context, state) => processKill.inject(toProcessKill(params), context, state),
  verify: (params, context, state) => processKill.verify(toProcessKill(params), context, state),
  rollback: (params, context, state) => processKill.rollback(toProcessKill(params), context, state),
});
