// `faultline scenarios scaffold`: a worksheet or document → one unfinished scenario file per untested failure mode.
import { relative } from 'node:path';
import { InputError } from '../../errors.js';
import { printable } from '../../util/terminal-text.js';
import { importWorksheet } from '../import/import-worksheet.js';
import { scaffoldScenarios } from '../scaffold/scaffold-scenarios.js';

/** Options of `scenarios scaffold`. */
export interface ScaffoldCommandOptions {
  from: string;
  out: string;
  warn?: (text: string) => void;
}

/** Writes the scaffolds; returns 0 (2, as an InputError, when every mode has an experiment or the folder cannot be written). */
export function runScenariosScaffold(options: ScaffoldCommandOptions): number {
  const warn = options.warn ?? ((text: string) => process.stderr.write(printable(text, process.stderr)));
  const { worksheet, shapes } = importWorksheet(options.from, { keepLevels: true });
  let result;
  try {
    result = scaffoldScenarios(worksheet.rows, options.out, options.from);
  } catch (error) {
    throw new InputError(`--out ${options.out}: cannot write: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, { hint: 'name a folder you can write to', cause: error });
  }
  warn(`recognised: ${shapes.join('; ')}\n`);
  for (const line of result.skipped) warn(`skipped ${line}\n`);
  warn(`wrote ${result.written.length} scenario scaffold${result.written.length === 1 ? '' : 's'} to ${relative(process.cwd(), options.out) || options.out}; fill their TODOs, then \`faultline validate ${options.out}\`\n`);
  return 0;
}
