// Text from input files (titles, ids, paths, messages quoting them) is printed to terminals: a title
// holding ESC sequences could retitle the window, clear the screen or fake a verdict line.

// C0 controls but tab and newline, DEL, C1 controls, line/paragraph separators and bidi overrides.
const unsafe = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const unsafeInLine = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** Shows every control character of `text` as a visible escape (`\x1b`); `multiline` keeps newlines and tabs. */
export function sanitizeForTerminal(text: string, options: { multiline?: boolean } = {}): string {
  return text.replace(options.multiline ? unsafe : unsafeInLine, escapeChar);
}

function escapeChar(char: string): string {
  const code = char.charCodeAt(0);
  return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** Text as written to `stream`: sanitized (newlines kept) for a terminal, unchanged for a file or pipe. */
export function printable(text: string, stream: { isTTY?: boolean }): string {
  return stream.isTTY ? sanitizeForTerminal(text, { multiline: true }) : text;
}
