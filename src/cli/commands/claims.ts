// `faultline claims import|fill`: yargs wiring only; the claims code is imported when a command runs.
import type { Argv, CommandModule } from 'yargs';
import { runWithExitCode } from '../run-with-exit-code.js';

/** Options of `faultline claims import`. */
export interface ClaimsImportArgs {
  doc: string;
  out?: string;
}

/** Options of `faultline claims fill`. */
export interface ClaimsFillArgs {
  doc: string;
  evidence: string[];
  out: string;
}

/** Runs `claims import`. */
export async function handleClaimsImport(args: ClaimsImportArgs): Promise<void> {
  await runWithExitCode(async () => {
    const { runClaimsImport } = await import('../../claims/run-import.js');
    return runClaimsImport({ doc: args.doc, ...(args.out ? { out: args.out } : {}) });
  });
}

/** Runs `claims fill`. */
export async function handleClaimsFill(args: ClaimsFillArgs): Promise<void> {
  await runWithExitCode(async () => {
    const { runClaimsFill } = await import('../../claims/run-fill.js');
    return runClaimsFill({ doc: args.doc, evidence: args.evidence, out: args.out });
  });
}

const importCommand: CommandModule<object, ClaimsImportArgs> = {
  command: 'import <doc>',
  describe: 'Read the RTO / RPO claims of a document (claim tables, "Target RTO: …" lines) into claims.yaml',
  builder: (yargs) =>
    yargs
      .positional('doc', { type: 'string', demandOption: true, describe: 'Markdown document (DR assessment, recovery framework…)' })
      .option('out', { alias: 'o', type: 'string', describe: 'Write the claims here (e.g. scenarios/claims.yaml) instead of stdout' })
      .example('$0 claims import dr-assessment.md --out scenarios/claims.yaml', 'then name claim ids in scenarios: claims: [rto-atomic-rollback]') as never,
  handler: handleClaimsImport,
};

const fillCommand: CommandModule<object, ClaimsFillArgs> = {
  command: 'fill <doc>',
  describe: 'Write the document back with the Measured and Status cells of its claim tables filled from runs',
  builder: (yargs) =>
    yargs
      .positional('doc', { type: 'string', demandOption: true, describe: 'The document the claims came from' })
      .option('evidence', { alias: 'e', type: 'string', array: true, demandOption: true, describe: 'Run directories (reports/<run>) or summary.json files' })
      .option('out', { alias: 'o', type: 'string', demandOption: true, describe: 'Where to write the filled copy (never the document itself)' })
      .example('$0 claims fill dr-assessment.md --evidence reports/latest --out dr-assessment.measured.md', 'UNTESTED → "0.74 s p95 (3 runs) ✅"') as never,
  handler: handleClaimsFill,
};

/** `faultline claims <import|fill>`, for the CLI's main to register. */
export const claimsCommand: CommandModule = {
  command: 'claims <command>',
  describe: 'Recovery claims (RTO, RPO): import them from a document, fill its Measured column from runs',
  builder: (yargs: Argv) => yargs.command(importCommand).command(fillCommand).demandCommand(1, 'Name a subcommand: import | fill'),
  handler: () => undefined,
};
