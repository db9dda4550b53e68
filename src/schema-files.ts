// Every JSON Schema faultline publishes under schemas/, generated from the TypeBox definitions.
import { SummarySchema } from './analyse/summary-schema.js';
import { buildScenarioFileSchema } from './scenario/schema.js';
import { TargetFileSchema } from './targets/external.js';
import { WorksheetSchema } from './fmea/schema/worksheet.js';
import { ClaimsFileSchema } from './claims/schema.js';
import { buildPlanSchema } from './gameday/plan-schema.js';

/** File name → JSON Schema, as written to schemas/ by `npm run schemas`. */
export function getSchemaFiles(): Record<string, unknown> {
  const plain = (schema: unknown) => JSON.parse(JSON.stringify(schema)) as unknown;
  return {
    'claims.schema.json': plain({ $schema: 'http://json-schema.org/draft-07/schema#', ...ClaimsFileSchema }),
    'gameday.schema.json': plain({ $schema: 'http://json-schema.org/draft-07/schema#', ...buildPlanSchema() }),
    'scenario.schema.json': plain(buildScenarioFileSchema()),
    'summary.schema.json': plain({ $schema: 'http://json-schema.org/draft-07/schema#', ...SummarySchema }),
    'target.schema.json': plain({ $schema: 'http://json-schema.org/draft-07/schema#', ...TargetFileSchema }),
    'worksheet.schema.json': plain({ $schema: 'http://json-schema.org/draft-07/schema#', ...WorksheetSchema }),
  };
}
