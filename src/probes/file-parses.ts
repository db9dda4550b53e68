// Probe: a file exists and parses in its format (shell via `bash -n`, JSON, YAML, INI). Event-driven through
// fs.watch; the file is parsed again only when its stat changed, so polling it costs one stat.
import { readFile } from 'node:fs/promises';
import { Type } from '@sinclair/typebox';
import { execa } from 'execa';
import yaml from 'js-yaml';
import { defineProbe } from './types.js';
import { defineProbeParams } from './params.js';
import { getErrorMessage } from '../errors.js';
import { createStatCachedCheck } from './file-cache.js';
import { createFileProbe } from './watch-file.js';

const formats = ['shell', 'json', 'yaml', 'ini'] as const;
type Format = (typeof formats)[number];

// Each parser throws (or rejects) with a message saying why the text does not parse.
const parsers: Record<Format, (path: string, text: string) => Promise<void>> = {
  // The text already read goes to bash on stdin, so what is checked is exactly what was read.
  async shell(_path, text) {
    const result = await execa('bash', ['-n'], { reject: false, input: text, timeout: 5_000 });
    if (result.exitCode !== 0) throw new Error(String(result.stderr).split('\n')[0] || `bash -n exited ${result.exitCode}`);
  },
  async json(_path, text) {
    JSON.parse(text);
  },
  async yaml(_path, text) {
    yaml.load(text);
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
      let text: string;
      try {
        text = await readFile(path, 'utf8');
      } catch (error) {
        return { ok: false, detail: `cannot read ${params.path}: ${(error as NodeJS.ErrnoException).code ?? getErrorMessage(error)}` };
      }
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
