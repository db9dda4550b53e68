// Probe: the text shown in a pane matches a regular expression (polled: pane output is not announced).
import { Type } from '@sinclair/typebox';
import { defineProbe } from './types.js';
import { defineProbeParams } from './params.js';
import { findPane, paneParams } from './tmux-pane.js';

export default defineProbe({
  type: 'tmux.pane-text',
  needs: ['tmux'],
  summary: 'passes while the last lines of the pane match the regular expression',
  params: defineProbeParams('tmux.pane-text', {
    ...paneParams,
    matches: Type.String({ description: 'Regular expression the captured text must match (multiline).' }),
    lines: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000, default: 50, description: 'How many of the pane’s last non-blank lines (visible and history) to match against.' })),
  }, 'A tmux pane shows matching text.'),
  defaultIntervalMs: 100,
  create(params, { sources }) {
    const tmux = sources.tmux();
    tmux.noteWatchedSession(params.session);
    const pattern = new RegExp(params.matches, 'm');
    return {
      async check() {
        const found = findPane(await tmux.snapshot(), params);
        if (!('pane' in found)) return { ok: false, detail: found.detail };
        const captured = await tmux.capturePane(found.pane.paneId, params.lines ?? 50);
        if (!captured.ok) return { ok: false, detail: captured.detail };
        const text = captured.text.trimEnd().split('\n').slice(-(params.lines ?? 50)).join('\n');
        return pattern.test(text) ? { ok: true } : { ok: false, detail: `pane ${found.pane.paneId} text does not match /${params.matches}/` };
      },
      // Window and pane changes are announced; text changes are found by polling.
      watch: (onTrigger) => tmux.watch(onTrigger),
    };
  },
});
