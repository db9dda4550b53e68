// `faultline fmea lint`: findings as text or JSON; exit 0 clean, 1 findings (2 is thrown as InputError).
import { lintDocument } from '../lint/lint-document.js';
import { formatLintResult } from '../lint/format-findings.js';
import type { FmeaConfig } from '../schema/config.js';
import { printable } from '../../util/terminal-text.js';

/** Options of `fmea lint`. */
export interface LintCommandOptions {
  file: string;
  json?: boolean;
  config?: FmeaConfig;
  write?: (text: string) => void;
}

/** Lints the file and prints the findings; returns 0 when clean, 1 with findings. */
export function runFmeaLint(options: LintCommandOptions): number {
  const write = options.write ?? ((text: string) => process.stdout.write(printable(text, process.stdout)));
  const result = lintDocument(options.file, options.config);
  write(options.json ? `${JSON.stringify({ ok: result.findings.length === 0, ...result }, null, 2)}\n` : `${formatLintResult(result)}\n`);
  return result.findings.length === 0 ? 0 : 1;
}
