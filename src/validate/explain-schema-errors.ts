// Turns ajv's errors into one clear problem per field: where, what was expected, what was found.
import type { ErrorObject } from 'ajv';
import { formatDataPath, type LocatedValue, type SourcePoint } from '../scenario/positions.js';
import { describeSchema, describeTypes, describeValue, listAllowedValues, listTagValues } from './describe.js';
import { createProblem, type Problem } from './problem.js';
import { suggestName, suggestValue } from './suggest.js';

type SchemaNode = Record<string, unknown>;

// Lower rank = more specific; only the most specific problem per field path is reported.
interface Candidate {
  path: string[];
  point: SourcePoint;
  rank: number;
  message: string;
  /** `type`: the value has the wrong type; `missing`: a required field is absent. */
  kind?: 'type' | 'missing';
  /** For an unknown field: the field it is probably a misspelling of (its "missing" error is then noise). */
  misspells?: string[];
}

const comparisons: Record<string, string> = { '<=': '≤', '>=': '≥', '<': '<', '>': '>' };

/** Explains ajv's errors for one scenario (`located.value`, validated against `schema`). */
export function explainSchemaErrors(errors: readonly ErrorObject[], located: LocatedValue, schema: SchemaNode): Problem[] {
  const consumed = new Set<ErrorObject>();
  const candidates: Candidate[] = [];
  for (const error of errors.filter(isUnionError).sort((a, b) => a.schemaPath.length - b.schemaPath.length)) {
    if (consumed.has(error)) continue;
    consumed.add(error);
    // Items of a list share schema paths: a branch error belongs to this union only at or below its value.
    const branches = errors.filter((other) => !consumed.has(other) && other.schemaPath.startsWith(`${error.schemaPath}/`) && isAtOrBelow(other.instancePath, error.instancePath));
    const explained = explainUnionError(error, branches, located, schema);
    explained.consumed.forEach((branch) => consumed.add(branch));
    if (explained.candidate) candidates.push(explained.candidate);
  }
  for (const error of errors) if (!consumed.has(error)) candidates.push(explainError(error, located, schema));
  return selectMostSpecific(candidates).map((candidate) =>
    createProblem(located.file, candidate.point, formatDataPath([...located.path, ...candidate.path]), candidate.message));
}

function isAtOrBelow(pointer: string, ancestor: string): boolean {
  return pointer === ancestor || pointer.startsWith(`${ancestor}/`);
}

function isUnionError(error: ErrorObject): boolean {
  return error.keyword === 'anyOf' || error.keyword === 'oneOf';
}

// A branch whose type or constant does not fit the value does not apply. When no branch
// applies, say what the union accepts (`expected one of shell, json, yaml, ini; got "xml"`);
// otherwise the errors of the branches that do apply speak for it.
function explainUnionError(error: ErrorObject, branchErrors: ErrorObject[], located: LocatedValue, schema: SchemaNode): { candidate?: Candidate; consumed: ErrorObject[] } {
  const byBranch = new Map<string, ErrorObject[]>();
  for (const branchError of branchErrors) {
    const branch = branchError.schemaPath.slice(error.schemaPath.length + 1).split('/')[0] ?? '';
    byBranch.set(branch, [...(byBranch.get(branch) ?? []), branchError]);
  }
  const misfits = [...byBranch.values()].filter((errors) => errors.some((branchError) =>
    branchError.instancePath === error.instancePath && ['const', 'enum', 'type'].includes(branchError.keyword)));
  const consumed = misfits.flat();
  const choice = explainFieldChoice(error, located, schema);
  if (choice) return { candidate: choice, consumed: branchErrors };
  if (misfits.length < byBranch.size) return { consumed };
  const path = parseInstancePath(error.instancePath);
  const expected = describeSchema(resolveSchema(schema, parentOf(error.schemaPath)))
    ?? misfits.map((errors) => errors.filter((branchError) => branchError.instancePath === error.instancePath).map(describeBranch)[0]).join(' or ');
  const value = getValueAt(located.value, path);
  const found = describeValue(value);
  const suggestion = suggestValue(value, listAllowedValues(resolveSchema(schema, parentOf(error.schemaPath))));
  const message = expected ? `expected ${expected}; got ${found}${suggestion}` : `does not match any allowed form; got ${found}`;
  return { candidate: { path, point: locate(located, path), rank: 2, message }, consumed };
}

// A union whose branches only require fields (`anyOf: [{required: [a]}, {required: [b]}]`, or for
// oneOf each also excluding the others) is a choice among those fields: name them, and those given.
function explainFieldChoice(error: ErrorObject, located: LocatedValue, schema: SchemaNode): Candidate | undefined {
  const branches = resolveSchema(schema, error.schemaPath);
  if (!Array.isArray(branches) || branches.length < 2 || !branches.every(isFieldRequirement)) return undefined;
  const names = [...new Set(branches.flatMap((branch: SchemaNode) => branch.required as string[]))];
  const path = parseInstancePath(error.instancePath);
  const value = getValueAt(located.value, path);
  const given = names.filter((name) => value !== null && typeof value === 'object' && name in value);
  const quote = (name: string) => `\`${name}\``;
  const found = given.length === 0 ? 'none of them' : given.map(quote).join(' and ');
  return { path, point: locate(located, path), rank: 2, message: `expected ${error.keyword === 'oneOf' ? 'exactly one' : 'at least one'} of ${names.map(quote).join(', ')}; got ${found}` };
}

function isFieldRequirement(branch: unknown): boolean {
  if (branch === null || typeof branch !== 'object') return false;
  const { required, not, ...rest } = branch as SchemaNode;
  const isNameList = (list: unknown) => Array.isArray(list) && list.length > 0 && list.every((name) => typeof name === 'string');
  return Object.keys(rest).length === 0 && isNameList(required) && (not === undefined || (isNameList((not as SchemaNode).required) && Object.keys(not as SchemaNode).length === 1));
}

function describeBranch(error: ErrorObject): string {
  if (error.keyword === 'const') return JSON.stringify(error.params.allowedValue);
  if (error.keyword === 'enum') return (error.params.allowedValues as unknown[]).map(String).join(', ');
  return describeTypes(error.params.type);
}

function explainError(error: ErrorObject, located: LocatedValue, schema: SchemaNode): Candidate {
  const path = parseInstancePath(error.instancePath);
  const data = getValueAt(located.value, path);
  const found = describeValue(data);
  const parent = resolveSchema(schema, parentOf(error.schemaPath)) ?? {};
  const params = error.params as Record<string, unknown>;
  const at = (message: string, rank = 2): Candidate => ({ path, point: locate(located, path), rank, message });
  switch (error.keyword) {
    case 'required': {
      const name = String(params.missingProperty);
      const isTag = (parent.discriminator as { propertyName?: string } | undefined)?.propertyName === name;
      const expected = isTag ? `one of ${listTagValues(parent).join(', ')}` : describeSchema(getProperties(parent)[name]);
      return { path: [...path, name], point: locate(located, path), rank: 3, kind: 'missing', message: `missing required field${expected ? `; expected ${expected}` : ''}` };
    }
    case 'additionalProperties': {
      const name = String(params.additionalProperty);
      const allowed = Object.keys(getProperties(parent));
      const suggestion = suggestName(name, allowed);
      const message = suggestion ? `unknown field \`${name}\`; did you mean \`${suggestion}\`?` : `unknown field \`${name}\`; expected one of ${allowed.join(', ')}`;
      return { path: [...path, name], point: locate(located, [...path, name], 'key'), rank: 3, message, misspells: suggestion ? [...path, suggestion] : undefined };
    }
    case 'discriminator': {
      const tag = String(params.tag);
      const expected = `one of ${listTagValues(parent).join(', ')}`;
      const tagPath = [...path, tag];
      // A missing tag is also a `required` error, which says it better.
      if (params.tagValue === undefined) return { path: tagPath, point: locate(located, path), rank: 6, kind: 'missing', message: `missing required field; expected ${expected}` };
      const suggestion = suggestValue(params.tagValue, listTagValues(parent));
      return { path: tagPath, point: locate(located, tagPath), rank: 0, message: `expected ${expected}; got ${describeValue(params.tagValue)}${suggestion}` };
    }
    case 'type':
      return { ...at(`expected ${describeTypes(params.type)}; got ${found}${explainUnquoted(parent, data)}`, 1), kind: 'type' };
    case 'const':
      return at(`expected ${JSON.stringify(params.allowedValue)}; got ${found}`);
    case 'enum':
      return at(`expected one of ${(params.allowedValues as unknown[]).map(String).join(', ')}; got ${found}${suggestValue(data, params.allowedValues as unknown[])}`);
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return at(`expected a number ${comparisons[String(params.comparison)] ?? String(params.comparison)} ${String(params.limit)}; got ${found}`);
    case 'minLength':
      return at(params.limit === 1 ? `expected a non-empty string; got ${found}` : `expected at least ${String(params.limit)} characters; got ${found}`);
    case 'maxLength':
      return at(`expected at most ${String(params.limit)} characters; got ${String(data).length}`);
    case 'minItems':
      return at(params.limit === 1 ? `expected at least one item; got ${found}` : `expected at least ${String(params.limit)} items; got ${found}`);
    case 'maxItems':
      return at(`expected at most ${String(params.limit)} items; got ${found}`);
    case 'uniqueItems': {
      const [first, again] = [Number(params.i), Number(params.j)].sort((a, b) => a - b) as [number, number];
      const itemPath = [...path, String(again)];
      const repeated = describeValue(getValueAt(located.value, itemPath));
      return { path: itemPath, point: locate(located, itemPath), rank: 2, message: `expected unique items; got ${repeated} again (also at ${formatDataPath([...located.path, ...path, first])})` };
    }
    case 'pattern': {
      const description = typeof parent.description === 'string' ? ` (${parent.description.replace(/\.$/, '')})` : '';
      return at(`expected a string matching /${String(params.pattern)}/${description}; got ${found}`);
    }
    case 'format':
      return at(`expected a valid ${String(params.format)}; got ${found}`);
    default:
      return at(`${error.message ?? 'is not valid'}; got ${found}`, 5);
  }
}

// A wrong type at a path makes every other complaint at or below it noise, and so does
// "missing `session`" next to "unknown field `sesion`; did you mean `session`?".
function selectMostSpecific(candidates: Candidate[]): Candidate[] {
  const typePaths = candidates.filter((candidate) => candidate.kind === 'type').map((candidate) => candidate.path);
  const misspelt = new Set(candidates.flatMap((candidate) => (candidate.misspells ? [JSON.stringify(candidate.misspells)] : [])));
  const kept = new Map<string, Candidate>();
  for (const candidate of candidates) {
    if (candidate.kind !== 'type' && typePaths.some((typePath) => startsWith(candidate.path, typePath))) continue;
    if (candidate.kind === 'missing' && misspelt.has(JSON.stringify(candidate.path))) continue;
    const key = JSON.stringify(candidate.path);
    const current = kept.get(key);
    if (!current || candidate.rank < current.rank) kept.set(key, candidate);
  }
  return [...kept.values()];
}

function startsWith(path: string[], prefix: string[]): boolean {
  return prefix.length <= path.length && prefix.every((segment, index) => path[index] === segment);
}

function locate(located: LocatedValue, path: string[], which: 'value' | 'key' = 'value'): SourcePoint {
  return located.positions.locate([...located.path, ...path], which);
}

function parseInstancePath(pointer: string): string[] {
  return pointer === '' ? [] : pointer.slice(1).split('/').map(unescapePointer);
}

function unescapePointer(segment: string): string {
  return segment.replace(/~1/g, '/').replace(/~0/g, '~');
}

function parentOf(schemaPath: string): string {
  return schemaPath.slice(0, schemaPath.lastIndexOf('/'));
}

function resolveSchema(root: SchemaNode, schemaPath: string): SchemaNode | undefined {
  let node: unknown = root;
  for (const segment of schemaPath.replace(/^#\/?/, '').split('/').filter(Boolean).map(unescapePointer)) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[segment];
  }
  return node !== null && typeof node === 'object' ? (node as SchemaNode) : undefined;
}

// YAML reads an unquoted 0644 as the number 644: a string field given a number says to quote it.
function explainUnquoted(schema: SchemaNode, data: unknown): string {
  if (schema.type !== 'string' || typeof data !== 'number') return '';
  const octal = typeof schema.pattern === 'string' && schema.pattern.includes('[0-7]');
  return octal ? ` (YAML reads an unquoted mode as a number, dropping its leading 0: quote it, e.g. "0${data}")` : ` (quote it: "${data}")`;
}

function getProperties(schema: SchemaNode): Record<string, SchemaNode> {
  return (schema.properties as Record<string, SchemaNode> | undefined) ?? {};
}

function getValueAt(value: unknown, path: string[]): unknown {
  let node = value;
  for (const segment of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[segment];
  }
  return node;
}
