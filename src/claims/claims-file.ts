// claims.yaml: written by `claims import`, read by the report and `claims fill`; validated against its schema.
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import yaml from 'js-yaml';
import { InputError } from '../errors.js';
import { parseYamlDocuments, YamlSyntaxError } from '../scenario/positions.js';
import { explainSchemaErrors } from '../validate/explain-schema-errors.js';
import { formatProblem, sortProblems } from '../validate/problem.js';
import { readInputFile } from '../fmea/worksheet/load-worksheet.js';
import { ClaimsFileSchema, type ClaimsFile } from './schema.js';

let validate: ValidateFunction | undefined;

/** YAML of a claims file, with a header comment. */
export function formatClaimsYaml(file: ClaimsFile, options: { schemaPath?: string; comment?: string } = {}): string {
  const header = [
    ...(options.schemaPath ? [`# yaml-language-server: $schema=${options.schemaPath}`] : []),
    ...(options.comment ? options.comment.split('\n').map((line) => `# ${line}`.trimEnd()) : []),
  ];
  const body = yaml.dump(file, { lineWidth: -1, noRefs: true, quotingType: '"' });
  return `${header.length ? `${header.join('\n')}\n` : ''}${body}`;
}

/** Loads and validates a claims file; problems are InputErrors naming file:line. */
export function loadClaimsFile(file: string): ClaimsFile {
  const text = readInputFile(file);
  let document;
  try {
    [document] = parseYamlDocuments(text);
  } catch (error) {
    if (error instanceof YamlSyntaxError) throw new InputError(`${file}:${error.line}:${error.column} invalid YAML: ${error.message}`, { cause: error });
    throw error;
  }
  if (!document) throw new InputError(`${file}:1 the claims file is empty`, { hint: 'write it with `faultline claims import <doc> --out claims.yaml`' });
  validate ??= new Ajv({ allErrors: true, strict: false }).compile(ClaimsFileSchema);
  if (validate(document.value)) return document.value as ClaimsFile;
  const problems = sortProblems(explainSchemaErrors(validate.errors ?? [], { file, path: [], value: document.value, positions: document.positions }, ClaimsFileSchema as unknown as Record<string, unknown>)).map(formatProblem);
  throw new InputError(problems.length === 1 ? problems[0]! : `${file}: ${problems.length} problems in the claims file`, {
    problems: problems.length === 1 ? [] : problems,
    hint: 'the claims format is described in schemas/claims.schema.json',
  });
}

/** claims.yaml|yml beside the given scenario files or in their parents, up to `root` (as worksheet.yaml is found). */
export function findClaimsFiles(scenarioFiles: readonly string[], root = process.cwd()): string[] {
  const found = new Set<string>();
  for (const scenarioFile of scenarioFiles) {
    let dir = dirname(resolve(root, scenarioFile));
    for (;;) {
      for (const name of ['claims.yaml', 'claims.yml']) if (existsSync(resolve(dir, name))) found.add(resolve(dir, name));
      const outside = relative(root, dir);
      if (outside === '' || outside.startsWith('..') || isAbsolute(outside) || dirname(dir) === dir) break;
      dir = dirname(dir);
    }
  }
  return [...found].map((file) => relative(root, file) || file);
}
