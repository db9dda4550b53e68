// `faultline fmea import`: a document → worksheet YAML, on stdout or into --out.
import { statSync, type Stats } from 'node:fs';
import { relative, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InputError } from '../../errors.js';
import { writeFileAtomic } from '../../util/files.js';
import { importWorksheet } from '../import/import-worksheet.js';
import { formatWorksheetYaml } from '../worksheet/format-worksheet.js';
import { printable } from '../../util/terminal-text.js';

// The package's schemas/ folder, from dist/fmea/commands (or src/fmea/commands under vitest).
const SCHEMA_FILE = fileURLToPath(new URL('../../../schemas/worksheet.schema.json', import.meta.url));

/** Options of `fmea import`. */
export interface ImportCommandOptions {
  file: string;
  out?: string;
  keepLevels?: boolean;
  write?: (text: string) => void;
  warn?: (text: string) => void;
}

/** Imports and writes the worksheet; returns the exit code (0). Unreadable input throws an InputError. */
export function runFmeaImport(options: ImportCommandOptions): number {
  const write = options.write ?? ((text: string) => process.stdout.write(printable(text, process.stdout)));
  const warn = options.warn ?? ((text: string) => process.stderr.write(printable(text, process.stderr)));
  const { worksheet, notes, shapes } = importWorksheet(options.file, { keepLevels: options.keepLevels ?? false });
  const unrated = worksheet.rows.filter((row) => row.severity === undefined || row.occurrence === undefined || row.detection === undefined).length;
  const out = options.out === undefined ? undefined : resolveOutPath(options.out);
  const schemaPath = out ? relative(dirname(out), SCHEMA_FILE) : undefined;
  const yaml = formatWorksheetYaml(worksheet, {
    ...(schemaPath ? { schemaPath } : {}),
    comment: [
      `Imported by \`faultline fmea import ${options.file}\`: ${worksheet.rows.length} failure modes${unrated > 0 ? `, ${unrated} not yet rated` : ''}.`,
      `Recognised: ${shapes.join('; ')}.`,
      unrated > 0 ? 'Rows without severity/occurrence/detection are not yet rated: nothing was invented; rate them or run their experiments.' : `Each row's source names the line its S/O/D were read from.`,
      ...notes.map((note) => `Note: ${note}`),
    ].join('\n'),
  });
  if (out) {
    try {
      writeFileAtomic(out, yaml);
    } catch (error) {
      throw new InputError(`--out ${options.out}: cannot write ${out}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, {
        hint: 'name a file in a folder you can write to', cause: error,
      });
    }
    warn(`wrote ${worksheet.rows.length} rows to ${relative(process.cwd(), out) || out}\n`);
  } else {
    write(yaml);
  }
  warn(`recognised: ${shapes.join('; ')}${unrated > 0 ? ` (${unrated} of ${worksheet.rows.length} failure modes not yet rated)` : ''}\n`);
  for (const note of notes) warn(`note: ${note}\n`);
  return 0;
}

// --out names a file, or a folder to write worksheet.yaml into; its folder must exist (a typo is not made into a tree).
function resolveOutPath(out: string): string {
  const path = resolve(out);
  if (statIfAny(path)?.isDirectory()) return join(path, 'worksheet.yaml');
  const parent = statIfAny(dirname(path));
  if (!parent) throw new InputError(`--out ${out}: the folder ${dirname(path)} does not exist`, { hint: `create it first (mkdir -p ${dirname(path)}), or name a file in an existing folder` });
  if (!parent.isDirectory()) throw new InputError(`--out ${out}: ${dirname(path)} is not a folder`, { hint: 'name a file in an existing folder' });
  return path;
}

// undefined when nothing is there, also when a part of the path is a file (ENOTDIR).
function statIfAny(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch (error) {
    if (['ENOENT', 'ENOTDIR'].includes((error as NodeJS.ErrnoException).code ?? '')) return undefined;
    throw error;
  }
}
