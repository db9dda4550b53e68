// `faultline claims import`: a document's RTO / RPO tables and headline targets → claims.yaml.
import { basename, dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InputError } from '../errors.js';
import { writeFileAtomic } from '../util/files.js';
import { printable } from '../util/terminal-text.js';
import { readInputFile } from '../fmea/worksheet/load-worksheet.js';
import { formatClaimsYaml } from './claims-file.js';
import { extractClaims } from './extract-claims.js';

const SCHEMA_FILE = fileURLToPath(new URL('../../schemas/claims.schema.json', import.meta.url));

/** Options of `claims import`. */
export interface ClaimsImportOptions {
  doc: string;
  out?: string;
  write?: (text: string) => void;
  warn?: (text: string) => void;
}

/** Imports the claims and writes them; returns 0 (2, as an InputError, when the document states none). */
export function runClaimsImport(options: ClaimsImportOptions): number {
  const write = options.write ?? ((text: string) => process.stdout.write(printable(text, process.stdout)));
  const warn = options.warn ?? ((text: string) => process.stderr.write(printable(text, process.stderr)));
  const { claims, tables } = extractClaims(options.doc, readInputFile(options.doc));
  if (claims.length === 0) {
    throw new InputError(`${options.doc}: no recovery claims found`, {
      hint: 'claims import reads tables with an RTO or RPO column (or a Target column under an RTO / RPO heading) and lines such as "Target RTO: < 5 minutes"',
    });
  }
  const out = options.out === undefined ? undefined : resolve(options.out);
  const inTables = tables.reduce((sum, table) => sum + table.rows.length, 0);
  const summary = `${claims.length} claims: ${inTables} in ${tables.length} table${tables.length === 1 ? '' : 's'}, ${claims.length - inTables} stated in prose`;
  const yaml = formatClaimsYaml({ kind: 'claims', version: 1, source: options.doc, claims }, {
    ...(out ? { schemaPath: relative(dirname(out), SCHEMA_FILE) } : {}),
    comment: [
      `Imported by \`faultline claims import ${options.doc}\`: ${summary}.`,
      'Link a scenario to a claim with `claims: [id]`; the report says whether each claim held, broke or is untested.',
    ].join('\n'),
  });
  if (!out) {
    write(yaml);
  } else {
    try {
      writeFileAtomic(out, yaml);
    } catch (error) {
      throw new InputError(`--out ${options.out}: cannot write ${out}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, { hint: 'name a file in a folder you can write to', cause: error });
    }
    warn(`wrote ${summary} to ${relative(process.cwd(), out) || basename(out)}\n`);
  }
  return 0;
}
