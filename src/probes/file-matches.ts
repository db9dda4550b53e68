// Probe: a file's content (or only its last non-empty line) matches a regular expression, read without a
// process (grep, tail) and at most maxReadBytes of it. Event-driven through fs.watch; the file is read
// again only when its stat changed, so polling it costs one stat.
import { closeSync, fstatSync, openSync } from 'node:fs';
import { Type } from '@sinclair/typebox';
import { readRange } from '../util/files.js';
import { defineProbe, type ProbeResult } from './types.js';
import { defineProbeParams } from './params.js';
import { createStatCachedCheck } from './file-cache.js';
import { createFileProbe } from './watch-file.js';

const DEFAULT_MAX_READ_BYTES = 1024 * 1024;
// The last line is looked for in the last 8 KiB first, then in 8× as much each time, up to maxReadBytes.
const FIRST_TAIL_BYTES = 8 * 1024;
const NEWLINE = 0x0a;
// A line is shown in a detail up to this many characters.
const SHOWN_CHARS = 120;

export default defineProbe({
  type: 'file.matches',
  summary: 'passes while the file (or only its last non-empty line, lastLine) matches the pattern',
  params: defineProbeParams('file.matches', {
    path: Type.String({ minLength: 1, description: 'File path (relative to the target home).' }),
    matches: Type.String({ description: 'Regular expression the content must match; `^` and `$` match at line boundaries, like grep.' }),
    lastLine: Type.Optional(Type.Boolean({ default: false, description: 'Match only the last non-empty line (like `tail -n 1`, without its newline), read from the end of the file.' })),
    maxReadBytes: Type.Optional(Type.Integer({ minimum: 1, maximum: 64 * 1024 * 1024, default: DEFAULT_MAX_READ_BYTES, description: 'Most bytes read per check: a larger file (lastLine: a longer last line) fails instead of being read.' })),
  }, 'A file’s content, or its last line, matches a pattern.'),
  create(params, { target, sources }) {
    const path = target.resolvePath(params.path);
    const pattern = new RegExp(params.matches, 'm');
    const maxBytes = params.maxReadBytes ?? DEFAULT_MAX_READ_BYTES;
    const shown = `/${params.matches}/`;
    const check = createStatCachedCheck(path, async (): Promise<ProbeResult> => {
      const read = readContent(path, maxBytes, params.lastLine ?? false);
      switch (read.kind) {
        case 'error':
          return { ok: false, detail: `cannot read ${params.path}: ${read.code}` };
        case 'too-large':
          return { ok: false, detail: params.lastLine
            ? `${params.path}: last line longer than maxReadBytes ${maxBytes} (not read)`
            : `${params.path} is ${read.size} bytes, more than maxReadBytes ${maxBytes} (not read; lastLine reads only the end)` };
        case 'no-line':
          return { ok: false, detail: `${params.path} has no non-empty line` };
        case 'text':
          if (pattern.test(read.text)) return { ok: true };
          return { ok: false, detail: params.lastLine
            ? `${params.path}: last line ${showLine(read.text)} does not match ${shown}`
            : `${params.path} (${read.size} bytes) does not match ${shown}` };
      }
    });
    return createFileProbe(sources, path, check);
  },
});

// JSON quoting shows tabs and control characters; a long line is cut.
function showLine(line: string): string {
  return line.length > SHOWN_CHARS ? `${JSON.stringify(line.slice(0, SHOWN_CHARS))}…` : JSON.stringify(line);
}

/** What one bounded read found. */
type Content =
  | { kind: 'text'; text: string; size: number }
  | { kind: 'too-large'; size: number }
  | { kind: 'no-line' }
  | { kind: 'error'; code: string };

// Reads the whole file, or its last non-empty line, never more than maxBytes.
function readContent(path: string, maxBytes: number, lastLine: boolean): Content {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    return { kind: 'error', code: (error as NodeJS.ErrnoException).code ?? String(error) };
  }
  try {
    const size = fstatSync(fd).size;
    if (lastLine) return readLastLine(fd, size, maxBytes);
    if (size > maxBytes) return { kind: 'too-large', size };
    return { kind: 'text', text: readRange(fd, 0, size).toString('utf8'), size };
  } catch (error) {
    return { kind: 'error', code: (error as NodeJS.ErrnoException).code ?? String(error) };
  } finally {
    closeSync(fd);
  }
}

// Reads ever larger spans from the end until one holds the newline before the last non-empty line.
function readLastLine(fd: number, size: number, maxBytes: number): Content {
  let span = Math.min(size, maxBytes, FIRST_TAIL_BYTES);
  for (;;) {
    const bytes = readRange(fd, size - span, span);
    let end = bytes.length;
    while (end > 0 && bytes[end - 1] === NEWLINE) end -= 1;
    const start = end > 0 ? bytes.lastIndexOf(NEWLINE, end - 1) : -1;
    if (end > 0 && (start >= 0 || span === size)) return { kind: 'text', text: bytes.toString('utf8', start + 1, end), size };
    if (span === size) return { kind: 'no-line' };
    if (span >= maxBytes) return { kind: 'too-large', size };
    span = Math.min(size, maxBytes, span * 8);
  }
}
