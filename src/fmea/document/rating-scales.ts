// Rating scales a document defines: "**Occurrence Scale (1-10):**" followed by "- 3-4: Low probability".
import type { LabelledRating, ScaleStep } from './model.js';
import { stripEmphasis, type MarkdownLines } from './markdown-lines.js';

const SCALE_HEAD = /^\s*(Severity|Occurrence|Probability|Likelihood|Detection)\s+Scale\b/i;
const STEP = /^\s*[-*+]\s*(\d+)(?:\s*[-–—]\s*(\d+))?\s*:\s*(.+?)\s*$/;
const DIMENSION: Record<string, LabelledRating['dimension']> = {
  severity: 'severity', occurrence: 'occurrence', probability: 'occurrence', likelihood: 'occurrence', detection: 'detection',
};

/** Reads each rating scale the document defines (the first one per dimension wins). */
export function extractRatingScales(lines: MarkdownLines): Partial<Record<LabelledRating['dimension'], ScaleStep[]>> {
  const scales: Partial<Record<LabelledRating['dimension'], ScaleStep[]>> = {};
  lines.text.forEach((raw, index) => {
    if (lines.inCode[index]) return;
    const head = SCALE_HEAD.exec(stripEmphasis(raw));
    if (!head) return;
    const dimension = DIMENSION[head[1]!.toLowerCase()]!;
    const steps: ScaleStep[] = [];
    for (let next = index + 1; next < lines.text.length; next++) {
      const text = lines.text[next]!;
      if (text.trim() === '' && steps.length === 0) continue;
      const step = STEP.exec(stripEmphasis(text));
      if (!step) break;
      steps.push({ min: Number(step[1]), max: Number(step[2] ?? step[1]), label: step[3]!, line: next + 1 });
    }
    if (steps.length > 0 && !scales[dimension]) scales[dimension] = steps;
  });
  return scales;
}

/** The level word of a scale label: "Low probability" → "low", "Very high detection" → "very high". */
export function getScaleWord(label: string): string {
  return label.toLowerCase()
    .replace(/\b(probability|likelihood|detection|detectability|impact|severity|occurrence|chance)\b.*$/, '')
    .replace(/[^a-z ]/g, ' ').replace(/\s+/g, ' ').trim();
}
