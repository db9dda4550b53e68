// The text tmux.inject-keys types into a pane: seeded garbage, a truncated message, or given text.
import { GuardError } from '../errors.js';
import { createRandom } from '../util/random.js';

export const injectModes = ['garbage', 'truncated', 'text'] as const;
export type InjectMode = (typeof injectModes)[number];

/** A message like the orchestrator's own (the default for `truncated`). */
export const DEFAULT_MESSAGE = 'STATUS CHECK from orchestrator: report progress on your current task, then commit your work (git add -A && git commit -m "checkpoint")';

/** What to build the text from. */
export interface InjectTextOptions {
  mode?: InjectMode;
  text?: string;
  bytes?: number;
  keepChars?: number;
  seed?: number;
}

/** The exact characters to type; deterministic for the same options, so the plan shows what will be sent. */
export function buildInjectedText(options: InjectTextOptions): string {
  switch (options.mode ?? 'garbage') {
    case 'garbage': {
      // Printable ASCII only: control characters would be key presses (C-c, Enter), a different fault.
      const random = createRandom(options.seed ?? 1);
      return Array.from({ length: options.bytes ?? 64 }, () => String.fromCharCode(0x21 + Math.floor(random() * 94))).join('');
    }
    case 'truncated': {
      const message = options.text ?? DEFAULT_MESSAGE;
      const keep = Math.min(options.keepChars ?? Math.max(1, Math.floor(message.length / 2)), Math.max(1, message.length - 1));
      return message.slice(0, keep);
    }
    case 'text':
      if (options.text === undefined || options.text === '') throw new GuardError('fault.text: mode text needs a non-empty text to send');
      return options.text;
  }
}

/**
 * tmux ends a command at an argument ending in ";" (and turns a final "\;" into ";"): a literal
 * text ending in ";" is sent as "…\;" so it arrives unchanged.
 */
export function escapeForSendKeys(text: string): string {
  return text.endsWith(';') ? `${text.slice(0, -1)}\\;` : text;
}
