// `faultline fmea score`: the ranked worksheet with measured ratings from run evidence.
import { readEvidence } from '../evidence/read-evidence.js';
import type { FmeaConfig } from '../schema/config.js';
import { formatScoredWorksheet } from '../score/format-score.js';
import { scoreWorksheet } from '../score/score-worksheet.js';
import { loadWorksheet } from '../worksheet/load-worksheet.js';
import { importWorksheet } from '../import/import-worksheet.js';
import { getDocumentFormat } from '../document/read-document.js';
import { readInputFile } from '../worksheet/load-worksheet.js';
import { printable } from '../../util/terminal-text.js';

/** Options of `fmea score`. */
export interface ScoreCommandOptions {
  worksheet: string;
  evidence?: string[];
  json?: boolean;
  rankBy?: 'analyst' | 'measured';
  config?: FmeaConfig;
  now?: Date;
  write?: (text: string) => void;
}

/** Scores the worksheet (YAML, CSV or a Markdown document) against the evidence; returns 0. */
export function runFmeaScore(options: ScoreCommandOptions): number {
  const write = options.write ?? ((text: string) => process.stdout.write(printable(text, process.stdout)));
  const text = readInputFile(options.worksheet);
  const rows = getDocumentFormat(options.worksheet, text) === 'markdown'
    ? importWorksheet(options.worksheet, { text }).worksheet.rows
    : loadWorksheet(options.worksheet, text).worksheet.rows;
  const scored = scoreWorksheet({
    rows,
    evidence: readEvidence(options.evidence ?? []),
    ...(options.config ? { config: options.config } : {}),
    ...(options.now ? { now: options.now } : {}),
    ...(options.rankBy ? { rankBy: options.rankBy } : {}),
  });
  write(options.json
    ? `${JSON.stringify({ worksheet: options.worksheet, ...scored }, null, 2)}\n`
    : `${formatScoredWorksheet(scored, { source: options.worksheet })}\n`);
  return 0;
}
