import { describe, expect, test } from 'vitest';
import { renderHtmlReport } from '../../src/report/html.js';
import { createTestInput } from './helpers.js';

// The precise figures (≤ 2 s, ≤ 3 MB) are measured by `npm run bench:report`; this guards the size, which is deterministic.
describe('report size', () => {
  test('1,000 worksheet rows and 200 runs render into at most 3 MB', async () => {
    const html = await renderHtmlReport(createTestInput({ rows: 1000, scenarios: 40, runsPerScenario: 5 }));
    expect(Buffer.byteLength(html)).toBeLessThanOrEqual(3 * 1024 * 1024);
    expect(html.match(/<tr>/g)!.length).toBeGreaterThan(1000);
  });
});
