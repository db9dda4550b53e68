// Types of report-fixture.mjs for the tests that import it (the test helper casts the result to the report's own types).
export interface ReportFixtureOptions {
  rows?: number;
  scenarios?: number;
  runsPerScenario?: number;
  seed?: number;
  /** Replaces every free-text field: `kind` names the field, `index` the row or run. */
  text?: (kind: string, index: number) => string;
}

/** Builds a deterministic { summary, rows, journal } of the given size. */
export function createReportFixture(options?: ReportFixtureOptions): { summary: unknown; rows: unknown[]; journal: unknown[] };
