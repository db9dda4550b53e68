// Probe: a file exists and parses in its format (shell via `bash -n`, JSON, YAML, INI). Event-driven through
// fs.watch; the file is parsed again only when its stat changed, so polling it costs one stat.
import { Type } from '@sinclair/typebox';
import { execa } from 'execa';
import yaml from 'js-yaml';
import { defineProbe } from './types.js';
import { defineProbeParams } from './params.js';
import { getErrorMessage } from '../errors.js';
import { createStatCachedCheck } from './file-cache.js';
import { readProbeFile } from './read-probe-file.js';
import { createFileProbe } from './watch-file.js';

const formats = ['shell', 'json', 'yaml', 'ini'] as const;
type Format = (typeof formats)[number];

// Each parser throws (or rejects) with a message saying where the text does not parse, never quoting it:
// the file may be a link to one the target must not read (config.json → /etc/shadow), and the message
// goes into the journal. Parsers' own messages (V8's JSON.parse, js-yaml, bash) quote the text.
const parsers: Record<Format, (path: string, text: string) => Promise<void>> = {
  // The text already read goes to bash on stdin, so what is checked is exactly what was read.
  async shell(_path, text) {
    const result = await execa('bash', ['-n'], { reject: false, input: text, timeout: 5_000 });
    if (result.exitCode !== 0) {
      const line = /line (\d+)/.exec(String(result.stderr))?.[1];
      throw new Error(line ? `syntax error at line ${line}` : `bash -n exited ${result.exitCode}`);
    }
  },
  async json(_path, text) {
    try {
      JSON.parse(text);
    } catch (error) {
      const position = /position (\d+)/.exec(getErrorMessage(error))?.[1];
      throw new Error(position === undefined ? 'invalid JSON' : `invalid JSON at ${describeOffset(text, Number(position))}`);
    }
  },
  async yaml(_path, text) {
    try {
      yaml.load(text);
    } catch (error) {
      const mark = (error as { mark?: { line?: number; column?: number } }).mark;
      throw new Error(mark?.line === undefined ? 'invalid YAML' : `invalid YAML at line ${mark.line + 1}, column ${(mark.column ?? 0) + 1}`);
    }
  },
  async ini(_path, text) {
    text.split('\n').forEach((line, index) => {
      const trimmed = line.trim();
      if (trimmed === '' || /^[;#]/.test(trimmed) || /^\[[^\]]+\]$/.test(trimmed) || /^[^=]+=/.test(trimmed)) return;
      throw new Error(`line ${index + 1} is not a section, key=value or comment`);
    });
  },
};

export default defineProbe({
  type: 'file.parses',
  summary: 'passes while the file exists and parses in the given format',
  params: defineProbeParams('file.parses', {
    path: Type.String({ minLength: 1, description: 'File path (relative to the target home).' }),
    format: Type.Union(formats.map((format) => Type.Literal(format)), { description: 'shell (bash -n), json, yaml or ini.' }),
    nonEmpty: Type.Optional(Type.Boolean({ default: true, description: 'An empty file fails.' })),
  }, 'A file parses.'),
  create(params, { target, sources }) {
    const path = target.resolvePath(params.path);
    const parse = parsers[params.format as Format];
    const check = createStatCachedCheck(path, async () => {
      const read = await readProbeFile(path);
      if ('error' in read) return { ok: false, detail: `cannot read ${params.path}: ${read.error}` };
      const text = read.bytes.toString('utf8');
      if ((params.nonEmpty ?? true) && text.trim() === '') return { ok: false, detail: `${params.path} is empty` };
      try {
        await parse(path, text);
        return { ok: true };
      } catch (error) {
        return { ok: false, detail: `${params.path} does not parse as ${params.format}: ${getErrorMessage(error)}` };
      }
    });
    return createFileProbe(sources, path, check);
  },
});

// "line 3, column 7" of a character offset.
function describeOffset(text: string, offset: number): string {
  const before = text.slice(0, offset).split('\n');
  return `line ${before.length}, column ${before.at(-1)!.length + 1}`;
}
