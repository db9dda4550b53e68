// `faultline claims fill`: the user's document back, with the Measured and Status cells of its claim tables filled from runs.
import { resolve } from 'node:path';
import { InputError } from '../errors.js';
import { writeFileAtomic } from '../util/files.js';
import { printable } from '../util/terminal-text.js';
import { readInputFile } from '../fmea/worksheet/load-worksheet.js';
import { evaluateClaims } from './evaluate-claims.js';
import { extractClaims } from './extract-claims.js';
import { fillDocument } from './fill-document.js';
import { readRunSummaries } from './read-summaries.js';

/** Options of `claims fill`. */
export interface ClaimsFillOptions {
  doc: string;
  evidence: string[];
  out: string;
  warn?: (text: string) => void;
}

/** Fills a copy of the document; returns 0. The document itself is never overwritten. */
export function runClaimsFill(options: ClaimsFillOptions): number {
  const warn = options.warn ?? ((text: string) => process.stderr.write(printable(text, process.stderr)));
  if (options.evidence.length === 0) throw new InputError('claims fill: name at least one run with --evidence', { hint: 'e.g. --evidence reports/latest' });
  if (resolve(options.out) === resolve(options.doc)) {
    throw new InputError(`--out ${options.out}: that is the document itself`, { hint: 'write the filled copy to another file, and compare the two' });
  }
  const text = readInputFile(options.doc);
  const { claims, tables } = extractClaims(options.doc, text);
  if (claims.length === 0) throw new InputError(`${options.doc}: no recovery claims found`, { hint: 'see `faultline claims import --help` for the tables and lines it reads' });
  const summaries = readRunSummaries(options.evidence);
  const results = evaluateClaims(claims, summaries);
  const byId = new Map(results.map((result) => [result.claim.id, result]));
  const runIds = [...new Set(results.flatMap((result) => result.runIds))];
  const count = (status: string) => results.filter((result) => result.status === status).length;
  const provenance = `*Measured and Status filled by faultline from run${runIds.length === 1 ? '' : 's'} ${runIds.join(', ') || '(none linked)'}: ${count('held')} held, ${count('broken')} broken, ${count('untested')} untested.*`;
  const filled = fillDocument(text, tables, byId, provenance);
  try {
    writeFileAtomic(resolve(options.out), filled.text);
  } catch (error) {
    throw new InputError(`--out ${options.out}: cannot write: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, { hint: 'name a file in a folder you can write to', cause: error });
  }
  warn(`filled ${filled.filled} of ${claims.length} claims into ${options.out} (${count('held')} held, ${count('broken')} broken, ${count('untested')} untested)\n`);
  for (const table of filled.unfillable) warn(`note: ${options.doc}:${table.line} "${table.title}" has no Measured or Status column; its results are in the report, not in the document\n`);
  for (const result of results.filter((entry) => entry.status === 'untested')) warn(`untested: ${result.claim.id} (${result.claim.source}): ${result.reason}\n`);
  return 0;
}
