// Pipe tables in Markdown, with the line of every row.
import type { MarkdownLines } from './markdown-lines.js';

/** One table row: its cells (trimmed) and 1-based line. */
export interface TableRow {
  line: number;
  cells: string[];
}

/** A pipe table: header cells, the line of the header, and its body rows. */
export interface MarkdownTable {
  line: number;
  headers: string[];
  rows: TableRow[];
}

/** Finds every pipe table (header row + separator row) outside code blocks. */
export function extractMarkdownTables(lines: MarkdownLines): MarkdownTable[] {
  const tables: MarkdownTable[] = [];
  for (let i = 0; i + 1 < lines.text.length; i++) {
    if (lines.inCode[i] || !isTableLine(lines.text[i]!) || !isSeparatorLine(lines.text[i + 1]!)) continue;
    const table: MarkdownTable = { line: i + 1, headers: splitCells(lines.text[i]!), rows: [] };
    let j = i + 2;
    for (; j < lines.text.length && !lines.inCode[j] && isTableLine(lines.text[j]!); j++) {
      table.rows.push({ line: j + 1, cells: splitCells(lines.text[j]!) });
    }
    tables.push(table);
    i = j - 1;
  }
  return tables;
}

function isTableLine(line: string): boolean {
  return line.trimStart().startsWith('|');
}

function isSeparatorLine(line: string): boolean {
  return /^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$/.test(line);
}

/** Splits "| a | b |" into ["a", "b"], honouring "\|" escapes. */
export function splitCells(line: string): string[] {
  const trimmed = line.trim().replace(/^\|/, '').replace(/(?<!\\)\|$/, '');
  return trimmed.split(/(?<!\\)\|/).map((cell) => cell.replace(/\\\|/g, '|').trim());
}
