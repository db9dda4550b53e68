// `faultline fmea lint`: findings as text or JSON; exit 0 clean, 1 findings (2 is thrown as InputError).
import { InputError } from '../../errors.js';
import { lintDocument } from '../lint/lint-document.js';
import { formatLintResult, type LintPaint } from '../lint/format-findings.js';
import type { FmeaConfig } from '../schema/config.js';
import { printable } from '../../util/terminal-text.js';

/** Options of `fmea lint`. */
export interface LintCommandOptions {
  file: string;
  json?: boolean;
  config?: FmeaConfig;
  write?: (text: string) => void;
  /** Colour the text (default: when stdout is a terminal and NO_COLOR is unset). */
  color?: boolean;
}

/** Lints the file and prints the findings; returns 0 when clean, 1 with findings. */
export function runFmeaLint(options: LintCommandOptions): number {
  const write = options.write ?? ((text: string) => process.stdout.write(printable(text, process.stdout)));
  const result = lintDocument(options.file, options.config);
  // Nothing rated means nothing was checked: "no inconsistencies" would pass any file at all.
  if (result.rows === 0 && result.sections === 0 && !result.unrated) {
    throw new InputError(`${options.file}: no FMEA table or ratings found`, {
      hint: 'lint reads a Markdown table with S, O, D (or RPN) columns, sections rating one failure mode ("#### SPOF-001: …" with Severity/Occurrence/Detection), a CSV or a worksheet YAML',
    });
  }
  const color = options.color ?? (Boolean(process.stdout.isTTY) && !process.env.NO_COLOR && process.env.TERM !== 'dumb');
  write(options.json ? `${JSON.stringify({ ok: result.findings.length === 0, ...result }, null, 2)}\n` : `${formatLintResult(result, color ? ANSI : undefined)}\n`);
  return result.findings.length === 0 ? 0 : 1;
}

const ansi = (open: number, close: number) => (text: string) => `\u001b[${open}m${text}\u001b[${close}m`;
const ANSI: LintPaint = { red: ansi(31, 39), yellow: ansi(33, 39), green: ansi(32, 39), bold: ansi(1, 22), dim: ansi(2, 22) };
