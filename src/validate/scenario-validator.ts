// The scenario schema compiled once (lazily) with ajv; the one place ajv is imported.
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { buildScenarioFileSchema } from '../scenario/schema.js';

interface CompiledSchema {
  /** The JSON Schema of one scenario; ajv's `schemaPath`s point into it. */
  schema: Record<string, unknown>;
  validate: ValidateFunction;
}

let compiled: CompiledSchema | undefined;

// Scenarios are validated one by one (not through the file schema's top-level oneOf), so
// an error in a list item is not drowned in "must be array" / "must match one schema".
function compileScenarioSchema(): CompiledSchema {
  const fileSchema = buildScenarioFileSchema();
  const ajv = new Ajv({ allErrors: true, discriminator: true, strict: false });
  ajv.addSchema(fileSchema);
  const validate = ajv.getSchema(`${String(fileSchema.$id)}#/definitions/scenario`);
  const schema = (fileSchema.definitions as Record<string, Record<string, unknown>> | undefined)?.scenario;
  if (!validate || !schema) throw new Error('the scenario file schema has no definitions/scenario');
  return { schema, validate };
}

/** The JSON Schema of one scenario (as compiled). */
export function getScenarioSchema(): Record<string, unknown> {
  compiled ??= compileScenarioSchema();
  return compiled.schema;
}

/** Validates one scenario value; returns ajv's errors (empty when valid). */
export function validateScenarioValue(value: unknown): ErrorObject[] {
  compiled ??= compileScenarioSchema();
  return compiled.validate(value) ? [] : [...(compiled.validate.errors ?? [])];
}
