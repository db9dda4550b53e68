// Fault: type garbage or a truncated message into a target pane (message corruption). Nothing to roll
// back: the plan and the rollback record in the journal exactly what was typed.
import { Type } from '@sinclair/typebox';
import { GuardError } from '../errors.js';
import { sleep } from '../util/clock.js';
import { defineFault } from './types.js';
import { defineFaultParams } from './params.js';
import { buildInjectedText, escapeForSendKeys, injectModes } from './inject-text.js';
import { getProtectedPids } from './process-guards.js';
import { readProcessTable } from './proc-table.js';
import { describeSocket } from './tmux-objects.js';
import { describePane, findPane, paneProperties } from './tmux-panes.js';
import { MAX_SEED } from '../util/number-limits.js';

const ECHO_WAIT_MS = 1000;

export default defineFault({
  type: 'tmux.inject-keys',
  needs: ['tmux'],
  summary: 'types garbage, a truncated message or given text into a target pane (send-keys -l)',
  params: defineFaultParams('tmux.inject-keys', {
    ...paneProperties,
    mode: Type.Optional(Type.Union(injectModes.map((mode) => Type.Literal(mode)), { default: 'garbage', description: 'garbage: seeded printable characters; truncated: the first part of `text` (default: an orchestrator status message); text: `text` as given.' })),
    text: Type.Optional(Type.String({ minLength: 1, maxLength: 4096, pattern: '^[^\\u0000-\\u001f\\u007f]*$', description: 'The message (no control characters: those are key presses, not text).' })),
    bytes: Type.Optional(Type.Integer({ minimum: 1, maximum: 4096, default: 64, description: 'garbage: how many characters.' })),
    keepChars: Type.Optional(Type.Integer({ minimum: 1, maximum: 4096, description: 'truncated: how many characters of the message to keep (default: half).' })),
    seed: Type.Optional(Type.Integer({ minimum: 0, maximum: MAX_SEED, default: 1, description: 'garbage: seed of the characters.' })),
    enter: Type.Optional(Type.Boolean({ default: true, description: 'Press Enter after the text; false leaves it in the input line, where the next message is appended to it.' })),
  }, 'Type corrupted input into a pane.'),
  isPlanStatic: () => true,
  async plan(params, { target }) {
    const text = buildInjectedText(params);
    return {
      touches: [`type ${text.length} characters into pane ${describePane(params)} on ${describeSocket(target)}${params.enter ?? true ? ', then Enter' : ' (no Enter)'}: ${JSON.stringify(text)}`],
      guards: [`only a pane of the target’s tmux server (${describeSocket(target)})`, 'printable characters only; refused when faultline itself runs inside that pane'],
    };
  },
  async prepare(params, { target }) {
    const pane = await findPane(target, params);
    const table = readProcessTable();
    const refusal = getProtectedPids(table, new Map([[pane.pid, `runs in pane ${pane.label}`]])).get(pane.pid);
    if (refusal) throw new GuardError(`fault.pane: refusing to type into ${pane.label}: its process (pid ${pane.pid}) is ${refusal}`);
    return { paneId: pane.paneId, label: pane.label, text: buildInjectedText(params), enter: params.enter ?? true };
  },
  async inject(_params, { target }, state) {
    const paneId = String(state.paneId);
    const args = ['send-keys', '-t', paneId, '-l', '--', escapeForSendKeys(String(state.text))];
    if (state.enter) args.push(';', 'send-keys', '-t', paneId, 'Enter');
    const result = await target.tmux(args);
    if (result.exitCode !== 0) throw new Error(`tmux send-keys to ${String(state.label)} failed: ${result.stderr.trim()}`);
  },
  async verify(_params, { target }, state) {
    // The pane's terminal echoes what was typed: look for the end of the text on screen.
    const snippet = String(state.text).trimEnd().slice(-24);
    if (snippet === '') return true;
    const deadline = performance.now() + ECHO_WAIT_MS;
    for (;;) {
      const screen = await target.tmux(['capture-pane', '-p', '-J', '-t', String(state.paneId), '-S', '-200']);
      if (screen.exitCode === 0 && screen.stdout.includes(snippet)) return true;
      if (performance.now() > deadline) return false;
      await sleep(20);
    }
  },
  async rollback(_params, _context, state) {
    const text = String(state.text);
    return { ok: true, detail: `nothing to roll back: typed ${text.length} characters into ${String(state.label)}${state.enter ? ' + Enter' : ''}: ${JSON.stringify(text)}` };
  },
});
