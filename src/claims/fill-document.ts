// Writes claim results into a document's own claim tables: only the Measured and Status cells change.
import type { ClaimResult } from './evaluate-claims.js';
import type { ClaimTable } from './extract-claims.js';

/** The filled text and what was (and could not be) filled. */
export interface FilledDocument {
  text: string;
  filled: number;
  /** Tables whose claims have results but no Measured or Status column to write them into. */
  unfillable: ClaimTable[];
}

const ICONS = { held: '✅', broken: '❌' } as const;

/**
 * Fills the Measured and Status cells of every tested claim's row and adds one provenance line under each filled
 * table; untested rows, every other cell and every other line keep their bytes.
 */
export function fillDocument(text: string, tables: readonly ClaimTable[], results: ReadonlyMap<string, ClaimResult>, provenance: string): FilledDocument {
  const lines = text.split('\n');
  const inserts: number[] = [];
  const unfillable: ClaimTable[] = [];
  let filled = 0;
  for (const table of tables) {
    const tested = table.rows.filter((row) => results.get(row.claimId)?.status !== 'untested' && results.has(row.claimId));
    if (tested.length === 0) continue;
    if (table.measuredColumn === undefined && table.statusColumn === undefined) {
      unfillable.push(table);
      continue;
    }
    for (const row of tested) {
      const result = results.get(row.claimId)!;
      if (result.status === 'untested') continue;
      const icon = ICONS[result.status];
      let line = lines[row.line - 1]!;
      if (table.measuredColumn !== undefined) line = replaceCell(line, table.measuredColumn, `${result.measured} ${icon}`);
      if (table.statusColumn !== undefined) {
        line = replaceCell(line, table.statusColumn, table.measuredColumn !== undefined ? `${icon} ${result.status}` : `${icon} ${result.status}: ${result.measured}`);
      }
      lines[row.line - 1] = line;
      filled += 1;
    }
    inserts.push(table.rows.at(-1)!.line);
  }
  // From the bottom up, so earlier line numbers stay right.
  const eol = text.includes('\r\n') ? '\r' : '';
  for (const line of inserts.sort((a, b) => b - a)) lines.splice(line, 0, eol, `${provenance}${eol}`);
  return { text: lines.join('\n'), filled, unfillable };
}

/** Replaces the text of one cell of a pipe-table row, keeping the spaces around it and every other byte. */
export function replaceCell(line: string, column: number, content: string): string {
  const pipes: number[] = [];
  for (let i = 0; i < line.length; i++) if (line[i] === '|' && line[i - 1] !== '\\') pipes.push(i);
  const leading = line.trimStart().startsWith('|') ? 0 : -1;
  const start = column + leading < 0 ? -1 : pipes[column + leading]!;
  const end = pipes[column + leading + 1] ?? line.replace(/\r$/, '').length;
  if (start === undefined) return line;
  const cell = line.slice(start + 1, end);
  const before = /^\s*/.exec(cell)![0] || ' ';
  const after = /\s*$/.exec(cell)![0] || ' ';
  return `${line.slice(0, start + 1)}${before}${content}${after}${line.slice(end)}`;
}
