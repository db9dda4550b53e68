import { describe, expect, it } from 'vitest';
import { applySchemaDefaults } from '../../src/scenario/defaults.js';
import { loadScenarios } from '../../src/scenario/load.js';
import { buildScenarioSchema } from '../../src/scenario/schema.js';

type SchemaNode = { properties: Record<string, { default?: unknown }> };

describe('scenario defaults', () => {
  const schema = buildScenarioSchema() as unknown as SchemaNode;
  const defaultOf = (name: string) => schema.properties[name]?.default;

  it('fills every omitted top-level field from the schema default', async () => {
    const [scenario] = await loadScenarios(['test/fixtures/scenarios/valid/nested/list.yaml']);
    expect(scenario).toMatchObject({
      target: defaultOf('target'),
      runs: defaultOf('runs'),
      timeoutMs: defaultOf('timeoutMs'),
      stabilizeMs: defaultOf('stabilizeMs'),
      steadyStateWaitMs: defaultOf('steadyStateWaitMs'),
      sampleIntervalMs: defaultOf('sampleIntervalMs'),
    });
    expect(scenario?.target).toBe('reference');
    expect(typeof scenario?.timeoutMs).toBe('number');
  });

  it('keeps the values a scenario sets and fills `expect` and probe params underneath', async () => {
    const [scenario] = await loadScenarios(['test/fixtures/scenarios/valid/single.yaml']);
    expect(scenario).toMatchObject({ runs: 3, timeoutMs: 15000, tags: ['default'], expect: { rtoMs: 5000, recovered: true } });
    expect(scenario?.steadyState[1]).toEqual({ probe: 'file.parses', path: 'config/orchestrator.conf', format: 'shell', nonEmpty: true });
  });

  it('gives `tags` and `expect` empty defaults', async () => {
    const scenarios = await loadScenarios(['test/fixtures/scenarios/duplicate-ids/a.yaml']);
    expect(scenarios[0]).toMatchObject({ tags: [], expect: { recovered: true } });
  });

  it('follows the tagged union to the branch the tag names', () => {
    const value = { fault: { type: 'config.corrupt', path: 'x', mode: 'truncate' } };
    applySchemaDefaults(value, buildScenarioSchema() as never);
    expect(value.fault).toEqual({ type: 'config.corrupt', path: 'x', mode: 'truncate', seed: 1, bytes: 16 });
  });
});
