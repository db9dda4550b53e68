#!/usr/bin/env node
// Writes schemas/*.json from the TypeBox schemas in src/ (built to dist/): the TypeScript is the one source of truth.
// `npm run schemas` after changing a schema; test/schemas.test.ts fails when the files drift.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const { getSchemaFiles } = await import('../dist/schema-files.js');
const dir = join(fileURLToPath(new URL('..', import.meta.url)), 'schemas');
for (const [name, schema] of Object.entries(getSchemaFiles())) {
  writeFileSync(join(dir, name), `${JSON.stringify(schema, null, 2)}\n`);
  console.log(`wrote schemas/${name}`);
}
