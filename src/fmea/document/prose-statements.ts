// Figures stated in prose: counts of failure modes, total and average RPN, thresholds, priority criteria.
import type { CountStatement, LevelCountStatement, PriorityCriterion, Stated, ThresholdStatement } from './model.js';
import { stripEmphasis, type MarkdownLines } from './markdown-lines.js';
import { parseRpnRange } from './band-statements.js';

const COUNT = /\b(\d+)\s+((?:[A-Za-z][A-Za-z-]*\s+){0,4}?)(failure modes?|points? of failure|pathways|scenarios|patterns|categories)\b/gi;
const TOTAL = /\bTotal (?:Risk Priority Number|RPN)s?\s*:\s*([\d,]+)/i;
const AVERAGE = /\bAverage RPN(?:\s+per\s+\w+)?\s*:\s*([\d,.]+)/i;
const THRESHOLD = /\b([A-Za-z]+) Risk Threshold\s*:\s*(\d+)\s*\((\d+) failures? exceed/i;
// "12 failure modes exceed RPN 200", "3 risks above RPN >300": a count over a threshold, not of all modes.
const EXCEEDING = /\b(\d+)\s+(?:[A-Za-z][A-Za-z-]*\s+){0,3}?(?:failure modes?|failures?|risks?|items?)\s+(?:exceeds?|exceeding|above|over)\s+(?:an?\s+)?RPN\s*(?:of\s*)?[>≥]?\s*(\d+)/gi;
// "5 critical, 7 high", "2 high-risk items.": a count by risk level (not "12 critical data corruption scenarios").
const LEVEL_COUNT = /\b(\d+)\s+(critical|extreme|high|medium|moderate|low)(?:[- ]risk)?(?:\s+(?:risks|failures|items|rows))?(?=\s*(?:[,.;:)]|and\b|$))/gi;
const CRITERION = /\b(P\d+)\b[^(\n]*\((?:(\d+) items?,\s*)?RPN\s*([<>≤≥]=?\s*[\d,]+|[\d,]+\s*[-–]\s*[\d,]+)\)/i;

/** The prose figures of a document (lines inside `skip` ranges are left to other readers). */
export interface ProseStatements {
  counts: CountStatement[];
  totalRpn: Stated<number>[];
  averageRpn: Stated<number>[];
  thresholds: ThresholdStatement[];
  levelCounts: LevelCountStatement[];
  priorityCriteria: PriorityCriterion[];
}

/** Reads the prose figures; `families` are the id prefixes (SPOF, CASCADE, …) the document rates. */
export function extractProseStatements(lines: MarkdownLines, families: readonly string[], skip: (line: number) => boolean): ProseStatements {
  const found: ProseStatements = { counts: [], totalRpn: [], averageRpn: [], thresholds: [], levelCounts: [], priorityCriteria: [] };
  lines.text.forEach((raw, index) => {
    const line = index + 1;
    if (lines.inCode[index] || raw.trimStart().startsWith('|') || /^#{1,6}\s/.test(raw) || skip(line)) return;
    const text = stripEmphasis(raw);
    for (const match of text.matchAll(LEVEL_COUNT)) {
      found.levelCounts.push({ level: match[2]!.toLowerCase(), count: Number(match[1]), phrase: match[0].trim(), line });
    }
    for (const match of text.matchAll(EXCEEDING)) {
      found.thresholds.push({ label: 'stated', threshold: Number(match[2]), count: Number(match[1]), line });
    }
    for (const match of text.matchAll(COUNT)) {
      if (/^\s+(?:exceeds?|exceeding|above|over)\s+(?:an?\s+)?RPN\b/i.test(text.slice(match.index + match[0].length))) continue;
      const subject = classifyCount(`${match[2]!}${match[3]!}`, families);
      if (subject) found.counts.push({ count: Number(match[1]), phrase: `${match[1]} ${match[2]!}${match[3]!}`, line, subject });
    }
    const total = TOTAL.exec(text);
    if (total) found.totalRpn.push({ value: toNumber(total[1]!), line });
    const average = AVERAGE.exec(text);
    if (average) found.averageRpn.push({ value: toNumber(average[1]!), line });
    const threshold = THRESHOLD.exec(text);
    if (threshold) found.thresholds.push({ label: threshold[1]!.toLowerCase(), threshold: Number(threshold[2]), count: Number(threshold[3]), line });
    const criterion = CRITERION.exec(text);
    const range = criterion && parseRpnRange(criterion[3]!);
    if (criterion && range) {
      found.priorityCriteria.push({
        priority: criterion[1]!.toUpperCase(), ...range, text: criterion[0], line,
        ...(criterion[2] ? { count: Number(criterion[2]) } : {}),
      });
    }
  });
  return found;
}

// "single points of failure" → SPOF (initials); "primary cascade pathways" → CASCADE (a word).
function classifyCount(phrase: string, families: readonly string[]): CountStatement['subject'] | undefined {
  const words = phrase.toLowerCase().split(/[\s-]+/).filter(Boolean);
  const initials = words.map((word) => word[0]).join('');
  const family = families.find((prefix) => {
    const name = prefix.toLowerCase();
    return words.some((word) => word === name || word === `${name}s`) || (name.length >= 3 && initials.includes(name));
  });
  if (family) return { kind: 'family', prefix: family };
  if (words.at(-1) === 'categories') return { kind: 'categories' };
  if (/failure modes?$/.test(phrase.toLowerCase())) return { kind: 'total' };
  return undefined;
}

function toNumber(text: string): number {
  return Number(text.replace(/,/g, ''));
}
