// The sign-off block: who prepared and who reviewed the report (or blank lines to sign), and the checksum of what it covers.
import type { ReportInput } from '../report-input.js';
import { pluralize } from '../../util/plural.js';

/** Rows to sign and the scenario files the report covers. */
export function buildSignOffView(input: ReportInput) {
  const { preparedBy, reviewer } = input.signOff ?? {};
  const env = input.summary.environment;
  const date = input.generatedAt.toISOString().slice(0, 10);
  return {
    rows: [
      { role: 'Prepared by', name: preparedBy ?? '', date: preparedBy ? date : '' },
      { role: 'Reviewed by', name: reviewer ?? '', date: '' },
    ],
    checksum: env.scenariosSha256 ?? '',
    files: env.scenarioFiles ?? [],
    filesLine: env.scenarioFiles ? pluralize(env.scenarioFiles.length, 'scenario file') : '',
  };
}
