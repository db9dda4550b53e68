// Claims in a document: RTO / RPO tables (with their Measured and Status columns) and headline targets.
import { basename } from 'node:path';
import { extractMarkdownTables, type MarkdownTable } from '../fmea/document/markdown-tables.js';
import { getHeadingAt, readMarkdownLines, stripEmphasis, type MarkdownLines } from '../fmea/document/markdown-lines.js';
import { slugify } from '../fmea/document/unrated-modes.js';
import { parseBound } from './parse-bound.js';
import type { Claim, ClaimMetric } from './schema.js';

/** A claim table and where its cells are, so `claims fill` can write into exactly those cells. */
export interface ClaimTable {
  line: number;
  title: string;
  headers: string[];
  measuredColumn?: number;
  statusColumn?: number;
  rows: { line: number; claimId: string }[];
}

/** The claims of a document and the tables they sit in. */
export interface ClaimDocument {
  claims: Claim[];
  tables: ClaimTable[];
}

const METRIC_WORDS: Record<string, string> = { rto: 'RTO', rpo: 'RPO', ttd: 'TTD', 'data-loss': 'data loss' };

/** Reads every claim table and headline target; ids are stable for one document (a metric and the row's subject). */
export function extractClaims(file: string, text: string): ClaimDocument {
  const lines = readMarkdownLines(text);
  const name = basename(file);
  const used = new Set<string>();
  const claims: Claim[] = [];
  const tables: ClaimTable[] = [];
  const add = (metric: ClaimMetric, subject: string, bound: string, line: number, extra = ''): string => {
    const parsed = parseBound(bound);
    const actual: ClaimMetric = metric === 'rpo' && parsed.maxLost !== undefined ? 'data-loss' : metric;
    const base = `${actual}-${slugify(subject)}`;
    let id = base;
    for (let n = 2; used.has(id); n++) id = `${base}-${n}`;
    used.add(id);
    claims.push({ id, text: `${subject}: ${actual === 'data-loss' ? '' : `${METRIC_WORDS[actual]} `}${parsed.text}${extra}`, metric: actual, bound: parsed, source: `${name}:${line}` });
    return id;
  };
  for (const table of extractMarkdownTables(lines)) {
    const shape = getClaimTableShape(table, lines);
    if (!shape) continue;
    const claimTable: ClaimTable = {
      line: table.line, title: getHeadingAt(lines, table.line)?.text ?? '', headers: table.headers, rows: [],
      ...(shape.measured !== undefined ? { measuredColumn: shape.measured } : {}),
      ...(shape.status !== undefined ? { statusColumn: shape.status } : {}),
    };
    for (const row of table.rows) {
      const subject = stripEmphasis(row.cells[0] ?? '').trim();
      const bound = row.cells[shape.bound]?.trim() ?? '';
      if (!subject || !bound) continue;
      const current = shape.current !== undefined ? stripEmphasis(row.cells[shape.current] ?? '').trim() : '';
      const id = add(shape.metric, subject, bound, row.line, current && current !== bound ? ` (current claim: ${current})` : '');
      claimTable.rows.push({ line: row.line, claimId: id });
    }
    tables.push(claimTable);
  }
  for (const headline of extractHeadlines(lines)) add(headline.metric, headline.subject, headline.bound, headline.line);
  claims.sort((a, b) => lineOf(a) - lineOf(b));
  return { claims, tables };
}

// A table is a claim table when a column is RTO or RPO, or a Target column sits under an RTO / RPO heading.
function getClaimTableShape(table: MarkdownTable, lines: MarkdownLines) {
  const headers = table.headers.map((header) => stripEmphasis(header).trim().toLowerCase());
  const heading = getHeadingAt(lines, table.line)?.text ?? '';
  const metricColumn = headers.findIndex((header) => header === 'rto' || header === 'rpo');
  const target = headers.indexOf('target');
  let metric: ClaimMetric | undefined;
  let bound: number;
  if (target > 0 && /\b(RTO|RPO)\b|recovery (time|point) objective/i.test(heading)) {
    metric = /\bRPO\b|recovery point/i.test(heading) ? 'rpo' : 'rto';
    bound = target;
  } else if (metricColumn > 0) {
    metric = headers[metricColumn] === 'rpo' ? 'rpo' : 'rto';
    bound = metricColumn;
  } else return undefined;
  const column = (name: RegExp) => {
    const index = headers.findIndex((header) => name.test(header));
    return index < 0 ? undefined : index;
  };
  return { metric, bound, measured: column(/^measured$/), status: column(/^status$/), current: column(/^current claim$/) };
}

// "**Target RTO**: < 5 minutes" and "Recovery Time Target: <30 seconds" (also in code blocks, where procedures are written).
function extractHeadlines(lines: MarkdownLines): { metric: ClaimMetric; subject: string; bound: string; line: number }[] {
  const found: { metric: ClaimMetric; subject: string; bound: string; line: number }[] = [];
  lines.text.forEach((raw, index) => {
    const text = stripEmphasis(raw).trim();
    const target = /^Target (RTO|RPO|TTD)\s*:\s*(.+)$/i.exec(text);
    if (target) {
      found.push({ metric: target[1]!.toLowerCase() as ClaimMetric, subject: 'Target', bound: target[2]!, line: index + 1 });
      return;
    }
    const procedure = /^Recovery (Time|Point) Target\s*:\s*(.+)$/i.exec(text);
    if (procedure) {
      const heading = getHeadingAt(lines, index + 1)?.text ?? 'Recovery';
      found.push({ metric: procedure[1]!.toLowerCase() === 'time' ? 'rto' : 'rpo', subject: stripEmphasis(heading).trim(), bound: procedure[2]!, line: index + 1 });
    }
  });
  return found;
}

function lineOf(claim: Claim): number {
  return Number(claim.source.slice(claim.source.lastIndexOf(':') + 1));
}
