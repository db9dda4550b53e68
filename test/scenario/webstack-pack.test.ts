// The web-stack scenario pack: valid against its target, one scenario per row of the web-app failure matrix
// the pack takes on, each with the S/O/D it was given and how (the matrix rates none).
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { describe, expect, test } from 'vitest';
import { validateScenarioFiles } from '../../src/scenario/load.js';

const pack = join(import.meta.dirname, '..', '..', 'scenarios', 'webstack');
const scenarios = readdirSync(pack).filter((name) => name.endsWith('.yaml')).map((name) => ({ name, value: load(readFileSync(join(pack, name), 'utf8')) as Record<string, any> }));

describe('scenarios/webstack', () => {
  test('every file is a valid scenario for the web stack', async () => {
    const result = await validateScenarioFiles([pack]);
    expect(result.problems).toEqual([]);
    expect(result.scenarios).toBe(scenarios.length);
    for (const { value } of scenarios) expect(value.target).toBe('webstack');
  });

  test('the matrix’s failure modes each have a scenario, and the DR drill its targets (RTO < 5 min, RPO < 1 min)', () => {
    const modes = scenarios.map(({ value }) => String(value.fmea.failureMode));
    for (const mode of ['connection pool exhausted', 'database unavailable', 'schema migration failure at startup', 'secret missing or rotated', 'cache unavailable', 'processing failure', 'local storage lost on container restart', 'no runner process']) {
      expect(modes).toContain(mode);
    }
    const drill = scenarios.find(({ value }) => value.fault.type === 'db.dr-drill')!.value;
    expect(drill.expect.rtoMs).toBe(300_000);
    expect(drill.fault.rpoTargetMs).toBe(60_000);
    expect(drill.canaries.map((canary: { type: string }) => canary.type)).toContain('sql.rows');
  });

  test('every S/O/D of the pack’s own scenarios says how it was chosen', () => {
    for (const { name, value } of scenarios.filter(({ name }) => name !== 'api-crash.yaml')) {
      expect(value.fmea.source, name).toMatch(/[Ss]everity \d+/);
      expect(value.fmea.source, name).toMatch(/[Oo]ccurrence \d+/);
      expect(value.fmea.source, name).toMatch(/[Dd]etection \d+/);
    }
  });
});
