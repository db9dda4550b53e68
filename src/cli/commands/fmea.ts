// `faultline fmea import|lint|score`: yargs wiring only; the FMEA engine is imported when a command runs.
import type { Argv, CommandModule } from 'yargs';
import { runWithExitCode } from '../run-with-exit-code.js';

/** Options of `faultline fmea import`. */
export interface FmeaImportArgs {
  file: string;
  out?: string;
  keepLevels?: boolean;
}

/** Options of `faultline fmea lint`. */
export interface FmeaLintArgs {
  file: string;
  json: boolean;
  config?: string;
}

/** Options of `faultline fmea score`. */
export interface FmeaScoreArgs {
  worksheet: string;
  evidence: string[];
  json: boolean;
  rankBy: 'analyst' | 'measured';
  config?: string;
  history?: string;
}

/** Runs `fmea import`: writes worksheet YAML to stdout or --out. */
export async function handleFmeaImport(args: FmeaImportArgs): Promise<void> {
  await runWithExitCode(async () => {
    const { runFmeaImport } = await import('../../fmea/commands/run-import.js');
    return runFmeaImport({ file: args.file, keepLevels: args.keepLevels ?? false, ...(args.out ? { out: args.out } : {}) });
  });
}

/** Runs `fmea lint`: exit 0 clean, 1 findings, 2 unreadable. */
export async function handleFmeaLint(args: FmeaLintArgs): Promise<void> {
  await runWithExitCode(async () => {
    const [{ runFmeaLint }, { loadFmeaConfig }] = await Promise.all([
      import('../../fmea/commands/run-lint.js'),
      import('../../fmea/commands/load-config.js'),
    ]);
    return runFmeaLint({ file: args.file, json: args.json, config: loadFmeaConfig(args.config) });
  });
}

/** Runs `fmea score`: the ranked worksheet with measured ratings beside the analyst's. */
export async function handleFmeaScore(args: FmeaScoreArgs): Promise<void> {
  await runWithExitCode(async () => {
    const [{ runFmeaScore }, { loadFmeaConfig }] = await Promise.all([
      import('../../fmea/commands/run-score.js'),
      import('../../fmea/commands/load-config.js'),
    ]);
    // --history: every run folder the store indexed is evidence too (the folders stay the source of truth).
    const indexed = args.history === undefined ? [] : await (await import('../../history/indexed-run-dirs.js')).listIndexedRunDirs(args.history);
    return runFmeaScore({ worksheet: args.worksheet, evidence: [...args.evidence, ...indexed], json: args.json, rankBy: args.rankBy, config: loadFmeaConfig(args.config) });
  });
}

const configOption = { type: 'string', describe: 'FMEA settings (YAML/JSON): bands, priority buckets, evidence rules' } as const;

const importCommand: CommandModule<object, FmeaImportArgs> = {
  command: 'import <file>',
  describe: 'Turn an FMEA document (Markdown tables, CSV or YAML) into a worksheet YAML',
  builder: (yargs) =>
    yargs
      .positional('file', { type: 'string', demandOption: true, describe: 'Markdown document, CSV or YAML worksheet' })
      .option('out', { alias: 'o', type: 'string', describe: 'Write the worksheet here instead of stdout' })
      .option('keep-levels', { type: 'boolean', default: false, describe: 'Keep the document’s Risk Level and priority columns (score computes them from the bands)' })
      .example('$0 fmea import analysis.md --out scenarios/worksheet.yaml', 'tables and rated sections → worksheet') as never,
  handler: handleFmeaImport,
};

const lintCommand: CommandModule<object, FmeaLintArgs> = {
  command: 'lint <file>',
  describe: 'Check an FMEA document or worksheet: RPN arithmetic, totals, conflicting ratings, bands',
  builder: (yargs) =>
    yargs
      .positional('file', { type: 'string', demandOption: true, describe: 'Markdown document, CSV or YAML worksheet' })
      .option('json', { type: 'boolean', default: false, describe: 'Print { ok, findings: [{ rule, severity, lines, ids, message }] }' })
      .option('config', configOption)
      .epilogue('Exit codes: 0 clean · 1 findings · 2 unreadable or malformed input.') as never,
  handler: handleFmeaLint,
};

const scoreCommand: CommandModule<object, FmeaScoreArgs> = {
  command: 'score <worksheet>',
  describe: 'Print the ranked worksheet with analyst and measured ratings side by side',
  builder: (yargs) =>
    yargs
      .positional('worksheet', { type: 'string', demandOption: true, describe: 'Worksheet YAML/CSV (or an FMEA document)' })
      .option('evidence', { alias: 'e', type: 'string', array: true, default: [], describe: 'Run directories (reports/<run>) or summary.json files' })
      .option('history', { type: 'string', describe: 'Also take every run in this history store (e.g. reports/history.db) as evidence: measured Occurrence per configuration' })
      .option('json', { type: 'boolean', default: false, describe: 'Print the scored rows as JSON' })
      .option('rank-by', { choices: ['analyst', 'measured'] as const, default: 'analyst' as const, describe: 'Rank by the analyst’s ratings or by measured ones' })
      .option('config', configOption)
      .example('$0 fmea score scenarios/worksheet.yaml --evidence reports/latest', 'measured D and S with the rules that produced them') as never,
  handler: handleFmeaScore,
};

/** `faultline fmea <import|lint|score>`, for the CLI's main to register. */
export const fmeaCommand: CommandModule = {
  command: 'fmea <command>',
  describe: 'FMEA worksheets: import documents, lint them, score them against run evidence',
  builder: (yargs: Argv) => yargs.command(importCommand).command(lintCommand).command(scoreCommand).demandCommand(1, 'Name a subcommand: import | lint | score'),
  handler: () => undefined,
};
