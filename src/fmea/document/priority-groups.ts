// Priority groups: "#### Priority 1 (Critical - …)" with "Total RPN", "Failure Modes" and a list of ids.
import { FAILURE_MODE_ID } from './rating-sections.js';
import type { PriorityGroup } from './model.js';
import type { MarkdownLines } from './markdown-lines.js';

const GROUP_HEADING = /^(?:Priority\s+(\d+)|(P\d+))\b\s*(?:\(([^)]*)\)|:\s*(.*))?/i;
const ITEM = new RegExp(`^\\s*(?:\\d+[.)]|[-*+])\\s+(?:\\*\\*)?(${FAILURE_MODE_ID.source})(?:\\*\\*)?\\b(.*)$`);
const ITEM_RPN = /\bRPN\s*[:=]?\s*([\d,]+)/i;
const TOTAL = /^\s*[-*+]?\s*\*\*Total RPN\*\*\s*:\s*([\d,]+)/i;
const COUNT = /^\s*[-*+]?\s*\*\*(?:Failure Modes|Count|Items)\*\*\s*:\s*([\d,]+)/i;

/** Reads every priority heading with its stated totals and the failure modes listed under it. */
export function extractPriorityGroups(lines: MarkdownLines): PriorityGroup[] {
  const groups: PriorityGroup[] = [];
  lines.headings.forEach((heading, index) => {
    const match = GROUP_HEADING.exec(heading.text.replace(/\*\*/g, ''));
    if (!match) return;
    const next = lines.headings.slice(index + 1).find((other) => other.level <= heading.level);
    const group: PriorityGroup = {
      name: `P${match[1] ?? match[2]!.slice(1)}`,
      label: getGroupLabel(match[3] ?? match[4]),
      line: heading.line,
      endLine: (next?.line ?? lines.text.length + 1) - 1,
      items: [],
    };
    for (let line = heading.line + 1; line <= group.endLine; line++) {
      if (lines.inCode[line - 1]) continue;
      const text = lines.text[line - 1]!;
      if (/^#{1,6}\s/.test(text)) continue;
      readGroupLine(group, text, line);
    }
    if (group.items.length > 0 || group.statedTotal || group.statedCount) groups.push(group);
  });
  return groups;
}

function readGroupLine(group: PriorityGroup, text: string, line: number): void {
  const total = TOTAL.exec(text);
  if (total) { group.statedTotal ??= { value: toNumber(total[1]!), line }; return; }
  const count = COUNT.exec(text);
  if (count) { group.statedCount ??= { value: toNumber(count[1]!), line }; return; }
  const item = ITEM.exec(text);
  if (item) {
    const rpn = ITEM_RPN.exec(item[2]!);
    group.items.push({ id: item[1]!, line, ...(rpn ? { rpn: toNumber(rpn[1]!) } : {}) });
  }
}

// "Critical - Immediate Action Required" → "Critical".
function getGroupLabel(text: string | undefined): string | undefined {
  const label = text?.split(/\s+[-–—]\s+|:/)[0]?.trim();
  return label ? label : undefined;
}

function toNumber(text: string): number {
  return Number(text.replace(/,/g, ''));
}
