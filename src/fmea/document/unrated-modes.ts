// Failure modes that documents list without S/O/D: resilience matrices, numbered mode lists, recovery procedures.
import type { UnratedMode, UnratedShape } from './model.js';
import { stripEmphasis, type MarkdownLines } from './markdown-lines.js';
import type { MarkdownTable } from './markdown-tables.js';
import { hasRatingColumns, mapColumns, stripMarkup } from '../worksheet/columns.js';

/** The unrated failure modes of a document and the shapes they were recognised in (in document order). */
export function extractUnratedModes(lines: MarkdownLines, tables: readonly MarkdownTable[]): UnratedMode[] {
  const modes = [
    ...readModeTables(tables),
    ...readNumberedModes(lines),
    ...readHeadedModes(lines),
    ...readRecoveryProcedures(lines),
  ].sort((a, b) => a.line - b.line);
  return assignIds(modes);
}

/** What each shape is called when `fmea import` and `fmea lint` say what they recognised. */
export const SHAPE_NAMES: Record<UnratedShape, string> = {
  'resilience-matrix': 'resilience matrix (component, failure mode, blast radius, current / proposed guardrail, effort, priority)',
  'mode-table': 'failure-mode table without S/O/D columns (e.g. failure scenario, RTO, recovery mechanism)',
  'numbered-modes': 'numbered failure modes with When / How / Impact / Mitigation / Status / Issue fields',
  'headed-modes': 'headed failure modes with Where / Detection / Risk / Mitigation / Status / Issue fields',
  'recovery-procedures': 'recovery procedures (Failure / Impact / Recovery Time Target blocks)',
};

// A table naming failure modes (or scenarios) but no S/O/D columns: one unrated mode per row.
function readModeTables(tables: readonly MarkdownTable[]): UnratedMode[] {
  const modes: UnratedMode[] = [];
  for (const table of tables) {
    const columns = mapColumns(table.headers);
    const modeColumn = columns.get('failureMode');
    if (modeColumn === undefined || hasRatingColumns(columns)) continue;
    const cell = (cells: string[], field: Parameters<typeof columns.get>[0]) => {
      const index = columns.get(field);
      return index === undefined ? undefined : clean(cells[index]);
    };
    const named = (cells: string[], header: RegExp) => {
      const index = table.headers.findIndex((text) => header.test(stripMarkup(text)));
      return index < 0 ? undefined : clean(cells[index]);
    };
    const shape = table.headers.some((header) => /guardrail/i.test(header)) ? 'resilience-matrix' : 'mode-table';
    for (const row of table.rows) {
      const failureMode = clean(row.cells[modeColumn]);
      if (!failureMode) continue;
      modes.push(compact({
        shape, id: '', line: row.line, failureMode,
        component: cell(row.cells, 'component'),
        effect: cell(row.cells, 'effect'),
        blastRadius: named(row.cells, /^blast radius$/i),
        cause: cell(row.cells, 'cause'),
        preventionControls: cell(row.cells, 'preventionControls'),
        detectionControls: cell(row.cells, 'detectionControls'),
        recommendedAction: cell(row.cells, 'recommendedAction') ?? named(row.cells, /^recovery mechanism$/i),
        effort: named(row.cells, /^effort$/i),
        priority: cell(row.cells, 'priority'),
        documentStatus: cell(row.cells, 'status'),
      }));
    }
  }
  return modes;
}

// "1. **Network Partition**" followed by "- **When**: …" lines; the component is the nearest "**Component**:" above.
function readNumberedModes(lines: MarkdownLines): UnratedMode[] {
  const modes: UnratedMode[] = [];
  let component: string | undefined;
  for (let i = 0; i < lines.text.length; i++) {
    if (lines.inCode[i]) continue;
    const text = lines.text[i]!;
    const stated = /^\*\*Components?\*\*:\s*(.+)$/.exec(text.trim());
    if (stated) component = clean(stated[1]);
    if (/^#{1,3}\s/.test(text)) component = undefined;
    const title = /^\s*\d+\.\s+\*\*(.+?)\*\*\s*$/.exec(text)?.[1];
    if (!title) continue;
    const fields = readFields(lines, i + 1);
    if (!fields.values.when && !fields.values.how && !fields.values.impact) continue;
    modes.push(compact({
      shape: 'numbered-modes', id: '', line: i + 1, failureMode: clean(title)!, component,
      cause: joinCause(fields.values.when, fields.values.how),
      effect: fields.values.impact,
      recommendedAction: fields.values.mitigation,
      documentStatus: fields.values.status,
      reference: fields.values.issue,
    }));
    i = fields.end - 1;
  }
  return modes;
}

// "### 1. Memory Leaks" whose body states "**Where**:", "- **Detection**:" or "- **Risk**:" with a mitigation or status.
function readHeadedModes(lines: MarkdownLines): UnratedMode[] {
  const modes: UnratedMode[] = [];
  lines.headings.forEach((heading, index) => {
    const next = lines.headings[index + 1]?.line ?? lines.text.length + 1;
    const fields = readFields(lines, heading.line, next - 1);
    const { where, detection, risk, mitigation, status } = fields.values;
    if (!(where || detection || risk) || !(mitigation || status)) return;
    modes.push(compact({
      shape: 'headed-modes', id: '', line: heading.line,
      failureMode: clean(heading.text.replace(/^\d+(\.\d+)*\.?\s+/, ''))!,
      component: where,
      cause: risk,
      detectionControls: detection,
      recommendedAction: mitigation,
      documentStatus: status,
      reference: fields.values.issue,
    }));
  });
  return modes;
}

// A code block under a heading with "Failure: …", "Impact: …" and "Recovery Time Target: …" lines.
function readRecoveryProcedures(lines: MarkdownLines): UnratedMode[] {
  const modes: UnratedMode[] = [];
  for (let i = 0; i < lines.text.length; i++) {
    const failure = lines.inCode[i] ? /^\s*Failure:\s*(.+)$/.exec(lines.text[i]!)?.[1] : undefined;
    if (!failure) continue;
    const block: string[] = [];
    for (let j = i; j < lines.text.length && lines.inCode[j] && !/^\s*(```|~~~)/.test(lines.text[j]!); j++) block.push(lines.text[j]!);
    const field = (name: string) => clean(block.map((line) => new RegExp(`^\\s*${name}:\\s*(.+)$`).exec(line)?.[1]).find(Boolean));
    if (!field('Impact') && !field('Recovery Time Target')) continue;
    const heading = [...lines.headings].reverse().find((candidate) => candidate.line < i + 1);
    modes.push(compact({
      shape: 'recovery-procedures', id: '', line: i + 1,
      failureMode: clean(failure)!,
      component: heading ? clean(heading.text) : undefined,
      effect: field('Impact'),
      recommendedAction: field('Fallback'),
    }));
  }
  return modes;
}

// "- **When**: …" lines (indented or not) from `start`, up to a line that is neither such a field nor blank-then-field.
function readFields(lines: MarkdownLines, start: number, last = lines.text.length): { values: Record<string, string | undefined>; end: number } {
  const values: Record<string, string | undefined> = {};
  let i = start;
  for (; i < Math.min(last, lines.text.length); i++) {
    if (lines.inCode[i]) break;
    const text = lines.text[i]!;
    const match = /^\s*(?:-\s+)?\*\*([A-Za-z ]+)\*\*:\s*(.*)$/.exec(text);
    if (match) {
      const key = match[1]!.trim().toLowerCase();
      if (values[key] === undefined) values[key] = clean(match[2]);
      continue;
    }
    if (text.trim() === '' && i > start) break;
    if (text.trim() !== '') break;
  }
  return { values, end: i };
}

function joinCause(when?: string, how?: string): string | undefined {
  if (when && how) return `${when}; ${how.charAt(0).toLowerCase()}${how.slice(1)}`;
  return when ?? how;
}

function clean(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  const value = stripEmphasis(text).trim();
  return value === '' || value === '-' || value === '—' ? undefined : value;
}

function compact(mode: UnratedMode & Record<string, unknown>): UnratedMode {
  return Object.fromEntries(Object.entries(mode).filter(([, value]) => value !== undefined)) as unknown as UnratedMode;
}

// The issue a mode links to is its id ("#71" → issue-71); otherwise a slug of component and mode, made unique.
function assignIds(modes: UnratedMode[]): UnratedMode[] {
  const used = new Set<string>();
  return modes.map((mode) => {
    const issue = /#?(\d+)/.exec(mode.reference ?? '')?.[1];
    const base = issue ? `issue-${issue}` : slugify([mode.component, mode.failureMode].filter(Boolean).join(' '));
    let id = base;
    for (let n = 2; used.has(id); n++) id = `${base}-${n}`;
    used.add(id);
    return { ...mode, id };
  });
}

/** "PostgreSQL Database — Connection pool exhausted" → "postgresql-database-connection-pool-exhausted" (at most 60 characters). */
export function slugify(text: string): string {
  const slug = text.normalize('NFKD').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  return (slug.slice(0, 60).replace(/-+$/, '') || 'mode');
}
