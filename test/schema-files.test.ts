import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { getSchemaFiles } from '../src/schema-files.js';

const schemasDir = join(import.meta.dirname, '..', 'schemas');

describe('schemas/*.json', () => {
  test.each(Object.entries(getSchemaFiles()))('%s is what the TypeBox definitions generate (run `npm run schemas` after a change)', (name, schema) => {
    const committed = JSON.parse(readFileSync(join(schemasDir, name), 'utf8')) as unknown;
    expect(committed).toEqual(JSON.parse(JSON.stringify(schema)));
  });
});
