// A fault type suggested from a failure mode's words, where they make it obvious ("killed" → process.kill).

/** A suggestion: the type, and the words that led to it. */
export interface FaultSuggestion {
  type: string;
  because: string;
}

// First match wins: the more specific phrases come before the general ones.
const RULES: [RegExp, string][] = [
  [/\bpartition(ed)?\b|\bunreachable\b|\bnetwork (split|down|outage)\b/i, 'net.partition'],
  [/\bdisk (is )?full\b|\bfills? (the )?disk\b|\bno space\b|\bdisk space\b|\bdata area full\b/i, 'disk.fill'],
  [/\blog growth\b|\blogs? (grow|fill)/i, 'disk.log-growth'],
  [/\btemp(orary)? files?\b/i, 'disk.temp-files'],
  [/\bconfig(uration)?\b.*\bcorrupt(ed|ion)?\b|\bcorrupt(ed)? config(uration)?\b/i, 'config.corrupt'],
  [/\bconfig(uration)?\b.*\b(deleted|missing|removed)\b|\b(missing|deleted) config(uration)?\b/i, 'config.delete'],
  [/\bworld[- ]writable\b|\bpermissions?\b|\bunreadable\b/i, 'file.chmod'],
  [/\b(out of memory|oom|memory (leak|exhaust\w*))\b/i, 'resource.exhaust-memory'],
  [/\bcpu\b/i, 'resource.cpu-hog'],
  [/\bprocess limit\b|\bfork\b|\bfile descriptor limit\b/i, 'resource.exhaust-processes'],
  [/\btmux (server|session)\b.*\b(killed|crash\w*|terminated)\b/i, 'tmux.kill-session'],
  [/\b(hung|hangs?|stalled|frozen|blocks event loop)\b/i, 'process.stop'],
  [/\b(killed|kill|crash(es|ed)?|terminated|restart(ed)?|no runner process|process died)\b/i, 'process.kill'],
  [/\b(binary|executable) (missing|unavailable|not found)\b/i, 'binary.shadow'],
];

/** Every fault type a suggestion may name (each must be registered; formatFault keeps any that is not as a comment). */
export const SUGGESTED_FAULT_TYPES: readonly string[] = [...new Set(RULES.map(([, type]) => type))];

/** Suggests a fault type from the mode's words (failure mode first, then cause and component); undefined when none is obvious. */
export function suggestFault(words: { failureMode: string; cause?: string; component?: string }): FaultSuggestion | undefined {
  for (const text of [words.failureMode, `${words.component ?? ''} ${words.failureMode}`, words.cause ?? '']) {
    for (const [pattern, type] of RULES) {
      const match = pattern.exec(text);
      if (match) return { type, because: match[0] };
    }
  }
  return undefined;
}
