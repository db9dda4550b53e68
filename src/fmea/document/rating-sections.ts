// Per-section ratings: "#### SPOF-001: …" followed by "**Severity**: 10 | **RPN**: 270" lines.
import type { LabelledRating, SectionEntry } from './model.js';
import type { MarkdownLines } from './markdown-lines.js';

/** Failure-mode ids such as SPOF-001, CASCADE-002, FM-12. */
export const FAILURE_MODE_ID = /[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)*-\d+/;

const HEADING_ID = new RegExp(`^(${FAILURE_MODE_ID.source})\\s*(?:[:—–-]\\s*(.*))?$`);
const BOLD_ID = new RegExp(`^\\s*\\*\\*(${FAILURE_MODE_ID.source})\\s*[:—–-]\\s*(.*?)\\*\\*\\s*$`);
const PAIR = /\*\*([A-Za-z ]+?)\*\*\s*:\s*([^|]*)/g;

const DIMENSIONS: Record<string, LabelledRating['dimension']> = {
  severity: 'severity',
  occurrence: 'occurrence',
  probability: 'occurrence',
  likelihood: 'occurrence',
  detection: 'detection',
  detectability: 'detection',
};

/** Reads the sections that are about one failure mode and the ratings stated in them. */
export function extractRatingSections(lines: MarkdownLines): SectionEntry[] {
  const sections: SectionEntry[] = [];
  let current: (SectionEntry & { level: number }) | undefined;
  lines.text.forEach((raw, index) => {
    const line = index + 1;
    if (lines.inCode[index]) return;
    const heading = /^(#{1,6})\s+(.*?)\s*$/.exec(raw);
    if (heading) {
      const level = heading[1]!.length;
      const id = HEADING_ID.exec(heading[2]!.replace(/\*\*/g, ''));
      if (current && level <= current.level) current = undefined;
      if (id) current = startSection(sections, id[1]!, id[2] ?? '', line, level);
      return;
    }
    const bold = BOLD_ID.exec(raw);
    if (bold) {
      current = startSection(sections, bold[1]!, bold[2]!, line, 7);
      return;
    }
    if (current) readPairs(current, raw, line);
  });
  return sections;
}

function startSection(sections: SectionEntry[], id: string, title: string, line: number, level: number): SectionEntry & { level: number } {
  const section = { id, title: title.trim(), line, labels: [], level };
  sections.push(section);
  return section;
}

function readPairs(section: SectionEntry, raw: string, line: number): void {
  for (const match of raw.matchAll(PAIR)) {
    const key = match[1]!.trim().toLowerCase();
    const value = match[2]!.trim();
    const dimension = DIMENSIONS[key];
    if (dimension) readRating(section, dimension, value, line);
    else if (key === 'rpn') {
      const rpn = /^([\d,]+)\b/.exec(value);
      if (rpn) section.rpn = { value: Number(rpn[1]!.replace(/,/g, '')), line };
    } else if (key === 'component') section.component ??= value;
    else if (key === 'impact' || key === 'effect') section.effect ??= value;
    else if (key === 'cause' || key === 'trigger') section.cause ??= value;
    else if (key === 'scenario') section.scenario ??= value;
  }
}

// "10", "High (7/10)", "7/10", "Low (8)".
function readRating(section: SectionEntry, dimension: LabelledRating['dimension'], value: string, line: number): void {
  const plain = /^(\d+)(?:\s*\/\s*10)?\b/.exec(value);
  const worded = /^([A-Za-z][A-Za-z -]*?)\s*\((\d+)(?:\s*\/\s*10)?\)/.exec(value);
  const number = plain ? Number(plain[1]) : worded ? Number(worded[2]) : undefined;
  if (number === undefined) return;
  section[dimension] = { value: number, line };
  if (worded) section.labels.push({ dimension, word: worded[1]!, value: number, line });
}
