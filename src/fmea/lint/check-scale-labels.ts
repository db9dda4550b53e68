// Ratings given in words ("Medium (4/10)") against the document's own rating scale ("3-4: Low probability").
import type { FmeaDocument } from '../document/model.js';
import { getScaleWord } from '../document/rating-scales.js';
import type { FmeaConfig } from '../schema/config.js';
import { isSameLevel } from '../scoring/risk-bands.js';
import { createFinding, type LintFinding } from './finding.js';

const SCALE_NAMES = { severity: 'Severity', occurrence: 'Occurrence', detection: 'Detection' } as const;

/** Checks every worded rating in the sections against the scale for its dimension. */
export function checkScaleLabels(document: FmeaDocument, config: FmeaConfig): LintFinding[] {
  const findings: LintFinding[] = [];
  for (const section of document.sections) {
    for (const label of section.labels) {
      const step = document.scales[label.dimension]?.find((candidate) => label.value >= candidate.min && label.value <= candidate.max);
      if (!step) continue;
      const expected = getScaleWord(step.label);
      if (!expected || isSameLevel(expected, label.word, config.levelSynonyms)) continue;
      findings.push(createFinding('scale-label', [label.line, step.line],
        `${section.id}: ${SCALE_NAMES[label.dimension]} "${label.word} (${label.value}/10)", but the ${SCALE_NAMES[label.dimension]} scale calls ${step.min}–${step.max} "${step.label}" (line ${step.line})`,
        { ids: [section.id] }));
    }
  }
  return findings;
}
