// Report inputs for tests, built on the benchmark's deterministic fixture.
import { DEFAULT_FMEA_CONFIG } from '../../src/fmea/schema/config.js';
import type { ReportInput } from '../../src/report/report-input.js';
import type { Summary } from '../../src/analyse/summary-schema.js';
import { createReportFixture } from '../../bench/report-fixture.mjs';

/** Options of the fixture: sizes and a replacement for every free-text field. */
export interface FixtureOptions {
  rows?: number;
  scenarios?: number;
  runsPerScenario?: number;
  text?: (kind: string, index: number) => string;
}

/** A report input made of the fixture's summary, worksheet rows and journal. */
export function createTestInput(options: FixtureOptions = {}): ReportInput {
  const { summary, rows, journal } = createReportFixture(options) as unknown as { summary: Summary; rows: ReportInput['worksheet']['rows']; journal: ReportInput['journal'] };
  return {
    summary, journal, history: [summary], worksheet: { rows, files: [] }, fmeaConfig: DEFAULT_FMEA_CONFIG, notes: [],
    generatedAt: new Date('2026-11-02T00:00:00Z'),
  };
}
