// Validates a worksheet value against its schema; problems name file:line:column and the field.
import { Ajv, type ValidateFunction } from 'ajv';
import { InputError } from '../../errors.js';
import type { PositionMap } from '../../scenario/positions.js';
import { explainSchemaErrors } from '../../validate/explain-schema-errors.js';
import { formatProblem, sortProblems } from '../../validate/problem.js';
import { WorksheetSchema, type Worksheet } from '../schema/worksheet.js';

let validate: ValidateFunction | undefined;

/** Returns the value as a Worksheet, or throws an InputError listing every problem with its line. */
export function validateWorksheet(value: unknown, file: string, positions: PositionMap): Worksheet {
  validate ??= new Ajv({ allErrors: true, strict: false }).compile(WorksheetSchema);
  if (validate(value)) return value as Worksheet;
  const located = { file, path: [], value, positions };
  const problems = sortProblems(explainSchemaErrors(validate.errors ?? [], located, WorksheetSchema as unknown as Record<string, unknown>));
  const lines = problems.map(formatProblem);
  throw new InputError(lines.length === 1 ? lines[0]! : `${file}: ${lines.length} problems in the worksheet`, {
    problems: lines.length === 1 ? [] : lines,
    hint: 'the worksheet format is described in schemas/worksheet.schema.json',
  });
}
