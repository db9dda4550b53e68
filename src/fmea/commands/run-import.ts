// `faultline fmea import`: a document → worksheet YAML, on stdout or into --out.
import { relative, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
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
  const { worksheet, notes } = importWorksheet(options.file, { keepLevels: options.keepLevels ?? false });
  const schemaPath = options.out ? relative(dirname(resolve(options.out)), SCHEMA_FILE) : undefined;
  const yaml = formatWorksheetYaml(worksheet, {
    ...(schemaPath ? { schemaPath } : {}),
    comment: [
      `Imported by \`faultline fmea import ${options.file}\`: ${worksheet.rows.length} failure modes.`,
      `Each row's source names the line its S/O/D were read from.`,
      ...notes.map((note) => `Note: ${note}`),
    ].join('\n'),
  });
  if (options.out) {
    writeFileAtomic(options.out, yaml);
    warn(`wrote ${worksheet.rows.length} rows to ${options.out}\n`);
  } else {
    write(yaml);
  }
  for (const note of notes) warn(`note: ${note}\n`);
  return 0;
}
