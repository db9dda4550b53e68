// RPN bands a document defines in prose, grouped into sets (one set per place that defines them).
import type { BandStatement } from './model.js';
import { getHeadingAt, stripEmphasis, type MarkdownLines } from './markdown-lines.js';

// "Extreme Risk (RPN >300): 6 failures (14%)"
const INLINE = /\b([A-Za-z]+)\s+Risk\s*\(\s*RPN\s*([^)]+)\)\s*:?\s*(?:(\d+)\s+failures?)?\s*(?:\((\d+(?:\.\d+)?)%\))?/i;
// "Critical Failures (15): 35% of identified failures" then "Risk Priority Numbers: 200-512 (extreme risk)"
const GROUP_HEAD = /^\s*([A-Za-z]+)\s+Failures\s*\((\d+)\)\s*:?\s*(?:(\d+(?:\.\d+)?)%)?/i;
const GROUP_RANGE = /Risk Priority Numbers?\s*:\s*([^()]+?)\s*(?:\(\s*([A-Za-z]+)\s+risk\s*\))?\s*$/i;

/** Parses an RPN range: ">300", "≥ 301", "<50", "200-300", "200–512". */
export function parseRpnRange(text: string): { min: number; max: number } | undefined {
  const clean = text.replace(/,/g, '').replace(/\s+/g, '');
  let match = /^(\d+)[-–—](\d+)$/.exec(clean);
  if (match) return { min: Number(match[1]), max: Number(match[2]) };
  match = /^(>=|≥|>)(\d+)$/.exec(clean);
  if (match) return { min: Number(match[2]) + (match[1] === '>' ? 1 : 0), max: 1000 };
  match = /^(<=|≤|<)(\d+)$/.exec(clean);
  if (match) return { min: 1, max: Number(match[2]) - (match[1] === '<' ? 1 : 0) };
  match = /^(\d+)\+$/.exec(clean);
  if (match) return { min: Number(match[1]), max: 1000 };
  return undefined;
}

/** Finds band definitions; statements of one form under one heading make one set. */
export function extractBandSets(lines: MarkdownLines): BandStatement[][] {
  const sets = new Map<string, BandStatement[]>();
  const add = (form: string, line: number, statement: BandStatement) => {
    const key = `${form}@${getHeadingAt(lines, line)?.line ?? 0}`;
    sets.set(key, [...(sets.get(key) ?? []), statement]);
  };
  lines.text.forEach((raw, index) => {
    const line = index + 1;
    if (lines.inCode[index] || raw.trimStart().startsWith('|')) return;
    const text = stripEmphasis(raw);
    const inline = INLINE.exec(text);
    if (inline) {
      const range = parseRpnRange(inline[2]!);
      if (range) {
        add('inline', line, {
          label: inline[1]!.toLowerCase(), aliases: [], ...range, line, lines: [line],
          ...(inline[3] ? { count: Number(inline[3]) } : {}),
          ...(inline[4] ? { percent: Number(inline[4]) } : {}),
        });
      }
      return;
    }
    const head = GROUP_HEAD.exec(text.replace(/^\s*[-*+]\s+/, ''));
    if (!head) return;
    for (let next = index + 1; next < Math.min(lines.text.length, index + 5); next++) {
      const rangeMatch = GROUP_RANGE.exec(stripEmphasis(lines.text[next]!));
      const range = rangeMatch && parseRpnRange(rangeMatch[1]!);
      if (!rangeMatch || !range) continue;
      add('grouped', line, {
        label: head[1]!.toLowerCase(), aliases: rangeMatch[2] ? [rangeMatch[2].toLowerCase()] : [], ...range,
        line, lines: [line, next + 1], count: Number(head[2]),
        ...(head[3] ? { percent: Number(head[3]) } : {}),
      });
      break;
    }
  });
  return [...sets.values()].filter((set) => set.length >= 2);
}
